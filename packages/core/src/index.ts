// The public API of @pixlock/core: what the CLI, the Vite plugin and users' scripts need.
// Everything else (planner, engine, providers' internals, disk layout) stays internal so it can
// change without a major version; tests inside core import those modules by relative path.

// Errors: a stable code to branch on, diagnostics located by file, line and column.
export {
  PixlockError,
  isPixlockError,
  formatDiagnostic,
  errorMessage,
  type Diagnostic,
  type ErrorCode,
} from './errors.js';

// Whole-project operations: what the CLI's commands and the Vite plugin call.
export { loadProject, type Project } from './project/load-project.js';
export { planProject } from './project/plan-project.js';
export { generate, type GenerateOptions, type GenerateResult } from './project/generate.js';
export { check, checkProject, type CheckResult } from './project/check.js';
export { prune, type PruneResult } from './project/prune.js';
export { pick, type PickOptions, type PickResult } from './project/pick.js';
// The object store (`store:`): push what the lock names and the store lacks (before a CI shard
// exits), and ask what it lacks (the gate before merging). Restoring outputs from it is
// `generate` (`frozen: true` on a runner that must not pay).
export {
  pushToStore,
  storeLacks,
  type StoreCommandOptions,
  type StorePushResult,
  type StoreCheckResult,
} from './project/store-push.js';
export type { PushReport, PushFailure } from './project/push-objects.js';
export type { StoredFile, StoredObject, ObjectStore } from './engine/ports.js';
export type { UnpushedObject } from './engine/run-types.js';
export { starterManifest, STARTER_OUT_DIR } from './project/starter-manifest.js';

// CI shards: one shard's share of a run, and the merge of all n into pixlock.lock.
export {
  generateShard,
  type GenerateShardOptions,
  type GenerateShardResult,
} from './project/generate-shard.js';
export { mergeShards, type MergeOptions, type MergeResult } from './project/merge-shards.js';
export { parseShardSpec, formatShardSpec, MAX_SHARDS, type ShardSpec } from './shard/shard-spec.js';
export { shardFromEnvironment, type CiShard } from './shard/ci-shard.js';
export type { ShardSplit, ShardLoad, OversizedComponent } from './shard/split-plan.js';
export type { ShardExchange } from './shard/shard-exchange.js';
export { SPLIT_TOLERANCE } from './shard/split-shards.js';
export { checkProjectFolders } from './disk/check-project-folders.js';

// The manifest, validated and resolved.
export { loadManifest } from './manifest/load-manifest.js';
export { EXPOSABLE_FIELDS } from './manifest/schema.js';
export type { ManifestInput, OutputFormat, ExposableField } from './manifest/schema.js';
export type {
  ResolvedManifest,
  ResolvedImage,
  OutputOptions,
} from './manifest/resolved-manifest.js';

// The lockfile: read and written byte for byte as pixlock does.
export { parseLock } from './lock/parse-lock.js';
export { serializeLock } from './lock/serialize-lock.js';
export type { Lockfile, LockEntry } from './lock/lockfile.js';

// The plan and what a run did.
export type { Plan, PlanEntry, PlanAction } from './plan/plan.js';
// For adapters: which plan actions call the provider (the CLI's progress stages).
export { PROVIDER_ACTIONS } from './plan/plan.js';
export {
  creditsToUsd,
  formatAmount,
  formatCost,
  toUsd,
  type Currency,
} from './pricing/currency.js';
// For tools that write a lock entry themselves (the Vite plugin's build test forges one).
export { generationHash, generationInputs } from './plan/hashes.js';
export type {
  RunResult,
  ImageResult,
  ImageOutcome,
  EngineEvent,
  SkipReason,
} from './engine/run-types.js';

// The ports `generate()` accepts in place of its defaults (GenerateOptions names them).
export {
  silentLogger,
  type Clock,
  type Logger,
  type ProjectFiles,
  type TempFiles,
  type OutputFiles,
  type LockFile,
  type OriginalsStore,
  type OriginalKey,
  type OriginalRead,
  type OriginalSource,
  type ImageCodec,
  type DecodedImage,
  type EncodeSpec,
} from './engine/ports.js';
export type {
  ImageProvider,
  GenerationRequest,
  TaskStatus,
  TaskOutput,
  CreatedTask,
  ProviderCallContext,
} from './providers/image-provider.js';
export type { ProviderEnvironment } from './providers/provider-environment.js';
export { placeholderProvider } from './providers/placeholder/placeholder-provider.js';

// For adapters: where a project's files are, and "did you mean" for ids they are given.
export { projectPaths } from './disk/project-paths.js';
export { safeProjectPath } from './disk/safe-project-path.js';
export { closestName } from './util/closest-name.js';

// Generated images as a bundler sees them.
export {
  describeImage,
  type ImageAsset,
  type ImageAssetFile,
  type ImageAssetSource,
  type ExposedGeneration,
} from './assets/describe-image.js';
export {
  blurPlaceholder,
  type BlurPlaceholder,
  type BlurPlaceholderOptions,
  type PlaceholderCache,
} from './assets/blur-placeholder.js';
export { placeholderCache } from './project/cache/placeholder-cache.js';
export {
  typeDeclarations,
  writeTypeDeclarations,
  typeDeclarationsCurrent,
  TYPE_DECLARATIONS_FILE,
  IMAGE_MODULE_PREFIX,
  ALL_IMAGES_MODULE,
  type TypeDeclarationOptions,
} from './assets/type-declarations.js';
export { typeDeclarationsPlace, type DeclarationsPlace } from './assets/type-declarations-place.js';

// What changed between two states of a project, as data and as a static HTML report.
export { reviewProject, type ReviewOptions, type ReviewResult } from './review/review-project.js';
export { REVIEW_VERSION, type Review } from './review/review-types.js';
