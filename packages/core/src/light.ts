// What a command needs before it knows whether there is work: no schema validator, YAML
// parser, image codec or HTTP client is loaded through here (a test keeps it so). A no-op
// `pixlock generate`, `check` or `plan` answers from the up-to-date record with only this;
// everything else is in the main entry, loaded when there is work.
export {
  PixlockError,
  isPixlockError,
  formatDiagnostic,
  formatPath,
  errorMessage,
  type ErrorCode,
  type Diagnostic,
} from './errors.js';
export { upToDate, type UpToDate } from './project/cache/up-to-date.js';
export { typesPlaceMemo, rememberTypesPlace } from './project/cache/types-place-memo.js';
export { runResult } from './engine/run-result.js';
export { checkResult, type CheckResult } from './project/check-result.js';
export {
  creditsToUsd,
  formatAmount,
  formatCost,
  toUsd,
  type Currency,
} from './pricing/currency.js';
export { PROVIDER_ACTIONS, type Plan, type PlanEntry, type PlanAction } from './plan/plan-types.js';
export { TYPE_DECLARATIONS_FILE } from './assets/type-declarations.js';
export { safeProjectPath } from './disk/safe-project-path.js';
export { projectTempPath } from './disk/project-temp-path.js';
export { writeFileAtomically } from './disk/write-file-atomically.js';
export { sha256 } from './util/sha256.js';
export { plural } from './util/plural.js';
export {
  readRegularFile,
  CACHE_MAX_BYTES,
  MANIFEST_MAX_BYTES,
  NotRegularFileError,
} from './disk/read-regular-file.js';
