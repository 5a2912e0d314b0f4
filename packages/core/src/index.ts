export {
  PixlockError,
  isPixlockError,
  formatDiagnostic,
  formatPath,
  errorMessage,
} from './errors.js';
export type { Diagnostic, ErrorCode } from './errors.js';
export { checkImageId, IMAGE_ID_PATTERN } from './image-id.js';

export * from './manifest/schema.js';
export type {
  ResolvedManifest,
  ResolvedImage,
  ResolvedProvider,
  OutputOptions,
} from './manifest/resolved-manifest.js';
export { loadManifest } from './manifest/load-manifest.js';
export { parseManifestText, type ParseResult } from './manifest/parse-manifest-text.js';
export { resolveManifest } from './manifest/resolve-manifest.js';
export { manifestJsonSchema } from './manifest/json-schema.js';

export { LOCKFILE_VERSION, emptyLock } from './lock/lockfile.js';
export type {
  Lockfile,
  LockEntry,
  LockedFile,
  LockedOriginal,
  PendingTask,
} from './lock/lockfile.js';
export { parseLock } from './lock/parse-lock.js';
export { serializeLock } from './lock/serialize-lock.js';

export { plan, PLAN_VERSION, PROVIDER_ACTIONS, resolveReference } from './plan/plan.js';
export type { Plan, PlanEntry, PlanAction, Observed, PlanOptions } from './plan/plan.js';
export { generationHash, outputHash, generationInputs, PROCESSOR_VERSION } from './plan/hashes.js';
export { CREDITS_PER_IMAGE, USD_PER_CREDIT, creditsToUsd } from './plan/pricing.js';
export { originalSize, outputFiles, extensionOf } from './plan/output-files.js';

export { runPlan, type RunPlanOptions } from './engine/run-plan.js';
export type {
  RunResult,
  ImageResult,
  ImageOutcome,
  EngineEvent,
  SkipReason,
} from './engine/run-types.js';
export {
  systemClock,
  silentLogger,
  type Clock,
  type Logger,
  type ProjectStore,
  type ImageCodec,
  type DecodedImage,
  type EncodeSpec,
} from './engine/ports.js';
export { sharpCodec } from './codec/sharp-codec.js';
export { AdaptiveLimit } from './engine/adaptive-limit.js';

export type {
  ImageProvider,
  GenerationRequest,
  TaskStatus,
  TaskOutput,
  CreatedTask,
  ProviderCallContext,
} from './providers/image-provider.js';
export { placeholderProvider } from './providers/placeholder/placeholder-provider.js';
export {
  renderPlaceholder,
  type PlaceholderSpec,
} from './providers/placeholder/render-placeholder.js';
export { createProvider, type ProviderEnvironment } from './providers/create-provider.js';
export { kinoviProvider } from './providers/kinovi/kinovi-provider.js';
export {
  resolveKinoviConfig,
  KINOVI_DEFAULT_BASE_URL,
  type KinoviConfig,
  type RetryPolicy,
} from './providers/kinovi/kinovi-config.js';
export type { KinoviDeps } from './providers/kinovi/kinovi-http.js';

export { nodeStore } from './disk/node-store.js';
export { observeDisk } from './disk/observe-disk.js';
export {
  projectPaths,
  LOCK_FILE_NAME,
  PIXLOCK_DIR,
  originalRelPath,
} from './disk/project-paths.js';

export { loadProject, planProject, readLock, type Project } from './project/load-project.js';
export { generate, type GenerateOptions, type GenerateResult } from './project/generate.js';
export { check, type CheckResult } from './project/check.js';
export { prune, type PruneResult } from './project/prune.js';
export { starterManifest } from './project/starter-manifest.js';
export { closestName } from './util/closest-name.js';
export * from './assets/index.js';

export type { FileSource } from './sources/file-source.js';
export { nodeFileSource } from './sources/node-file-source.js';
export { gitFileSource, type GitFileSource } from './sources/git-file-source.js';
export { buildReview } from './review/build-review.js';
export { renderReviewHtml } from './review/render-review-html.js';
export { renderReviewSummary } from './review/render-review-summary.js';
export { reviewProject, type ReviewOptions, type ReviewResult } from './review/review-project.js';
export { REVIEW_VERSION } from './review/review-types.js';
export type {
  Review,
  ReviewImage,
  ReviewState,
  ReviewStatus,
  ImageSide,
  Preview,
  DiffPart,
} from './review/review-types.js';
