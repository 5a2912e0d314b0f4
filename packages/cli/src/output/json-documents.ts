import type {
  CheckResult,
  Currency,
  Diagnostic,
  ErrorCode,
  OversizedComponent,
  Plan,
  PlanEntry,
  RunResult,
  ShardLoad,
} from '@pixlock/core';

/**
 * Version of every `--json` document below. It changes only when a field is removed or
 * changes meaning; fields may be added within a version.
 */
export const JSON_VERSION = 1;

/** Fields every `--json` document has. */
export interface JsonDocumentBase {
  version: typeof JSON_VERSION;
  /** The command that printed it. */
  command:
    | 'init'
    | 'validate'
    | 'plan'
    | 'generate'
    | 'check'
    | 'prune'
    | 'review'
    | 'pick'
    | 'merge'
    | 'store';
  /** False exactly when the command exits non-zero. */
  ok: boolean;
}

/** The totals of `pixlock plan`'s last line ("Plan: 1 to create, ..."), by name. */
export interface PlanCounts {
  create: number;
  regenerate: number;
  /** Reprocess and restore: rebuilt from kept originals, free. */
  rebuild: number;
  /** Outputs to move to a new outDir, free. */
  move: number;
  orphan: number;
  unchanged: number;
}

/** `pixlock plan --json`, and `pixlock generate --dry-run --json`: the plan, with totals. */
export interface PlanDocument extends JsonDocumentBase {
  command: 'plan' | 'generate';
  /** What a run would do to each image, in manifest order, orphans last. */
  entries: PlanEntry[];
  counts: PlanCounts;
  /** Estimated cost in the provider's unit, and the same in dollars. */
  credits: number;
  usd: number;
  /** The unit of `credits` when it is not kinovi credits. */
  currency?: Currency;
  /** True under `--detailed-exitcode`-style reading: something is to create, regenerate or rebuild. */
  changes: boolean;
  /** With `--shard`: the shard planned (its entries only above) and the balance of all n. */
  shard?: ShardPart;
}

/** What `--shard` adds to `plan --json` and `generate --json`. */
export interface ShardPart {
  /** From 1. */
  index: number;
  total: number;
  /** The CI system and variables `--shard auto` read. */
  source?: string;
  /** Every image of the shard's share, with work or not. */
  images: string[];
  /** Its lock, beside the manifest (`pixlock.shard-<i>-of-<n>.lock`). */
  lockFile: string;
  /** sha256 of the whole split: shards that agree on it split alike. */
  split: string;
  /** Every shard's share of the run (tasks, credits, encoding, work against the mean). */
  balance: ShardLoad[];
  /** Components too large to share a shard (each on one of its own). */
  oversized: OversizedComponent[];
}

/** `pixlock merge --json`. */
export interface MergeDocument extends JsonDocumentBase {
  command: 'merge';
  dryRun: boolean;
  counts: { shards: number; changed: number };
  /** The shard locks merged (removed unless a dry run). */
  shards: { index: number; total: number; file: string; images: number }[];
  /** Images whose entry in pixlock.lock changed. */
  changed: string[];
  /** pixlock.lock already held what the shards hold: nothing was rewritten. */
  alreadyMerged: boolean;
  /** The manifest was edited since the shards ran; their entries are kept as made. */
  manifestChanged: boolean;
}

/** The totals of `generate`'s summary line ("Done: 2 created, 0 resumed, ..."), by name. */
export interface RunCounts {
  /** Created and regenerated. */
  created: number;
  resumed: number;
  /** Reprocessed, restored, moved and unchanged. */
  reused: number;
  reprocessed: number;
  restored: number;
  /** Outputs moved to a new outDir. */
  moved: number;
  failed: number;
  skipped: number;
  interrupted: number;
  /** Images whose tasks are still at the provider (`--no-wait`): a later run collects them. */
  submitted: number;
}

/** `pixlock generate --json` (a run; a dry run prints a {@link PlanDocument}). */
export interface GenerateDocument extends JsonDocumentBase {
  command: 'generate';
  counts: RunCounts;
  /** What the provider reported, in its unit, and the same in dollars. */
  credits: number;
  usd: number;
  /** The unit of `credits` when it is not kinovi credits. */
  currency?: Currency;
  /** Ids `--frozen` could not do without the provider. */
  frozen: string[];
  plan: Plan;
  run: RunResult;
  /** With `--shard`: the shard run (its images only in `plan` and `run`). */
  shard?: ShardPart;
}

/** `pixlock check --json`. */
export interface CheckDocument extends JsonDocumentBase {
  command: 'check';
  counts: { problems: number; orphans: number; total: number };
  /** Images in the manifest (as `counts.total`; kept from the first version of this document). */
  total: number;
  problems: CheckResult['problems'];
  orphans: CheckResult['orphans'];
  /** The type declarations (pixlock-env.d.ts) when they do not match the manifest. */
  staleTypes?: string;
}

/**
 * `pixlock check --store --json`: the objects the lock names that the store lacks, each with
 * the project file it would be pushed from.
 */
export interface StoreCheckDocument extends JsonDocumentBase {
  command: 'check';
  store: string;
  counts: { objects: number; missing: number };
  missing: { kind: string; sha256: string; file: string }[];
}

/** `pixlock store push --json`. */
export interface StorePushDocument extends JsonDocumentBase {
  command: 'store';
  store: string;
  counts: { objects: number; present: number; pushed: number; failed: number };
  /** Objects not pushed (the store failed, or the file is not on this machine), and why. */
  failed: { object: string; file: string; code: string; message: string }[];
}

/** `pixlock prune --json`. */
export interface PruneDocument extends JsonDocumentBase {
  command: 'prune';
  dryRun: boolean;
  counts: { lockEntries: number; outputs: number; originals: number };
  ids: string[];
  files: string[];
  /** Outputs of the removed entries left in place (edited since, or read by the manifest). */
  kept: string[];
  originals: string[];
  /** The type declarations (pixlock-env.d.ts) rewritten to match the manifest (or, in a dry run, that would be). */
  types?: string;
}

/** `pixlock validate --json`. */
export interface ValidateDocument extends JsonDocumentBase {
  command: 'validate';
  counts: { images: number; files: number };
  /** Images in the manifest (as `counts.images`; kept from the first version of this document). */
  images: number;
  /** The manifest and every included file. */
  files: string[];
}

/** `pixlock init --json`. */
export interface InitDocument extends JsonDocumentBase {
  command: 'init';
  /** The manifest written, and the schema copy its `$schema` modeline names. */
  file: string;
  schema: string;
  /** Where `generate` will write the type declarations, when the Vite plugin is installed. */
  types?: string;
}

/** Any command's failure under `--json`, usage errors included (on stdout; exit 1 or 2). */
export interface ErrorDocument {
  version: typeof JSON_VERSION;
  command?: JsonDocumentBase['command'];
  ok: false;
  error: { code: ErrorCode | 'UNKNOWN'; message: string; diagnostics: Diagnostic[] };
}

/** Every document a `--json` command prints. */
export type JsonDocument =
  | InitDocument
  | ValidateDocument
  | PlanDocument
  | GenerateDocument
  | CheckDocument
  | StoreCheckDocument
  | StorePushDocument
  | PruneDocument
  | MergeDocument
  | ErrorDocument;

/** Serialises a document the one way every command prints it. */
export function jsonText(doc: JsonDocument): string {
  return JSON.stringify(doc, null, 2);
}
