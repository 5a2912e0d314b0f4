import type pLimit from 'p-limit';
import type { PixlockError } from '../errors.js';
import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import type { ImageProvider } from '../providers/image-provider.js';
import type { AdaptiveLimit } from './adaptive-limit.js';
import type { Budget } from './budget.js';
import type { CreateJournal } from '../journal/create-journal.js';
import type { LockWriter } from './lock-writer.js';
import type {
  Clock,
  ImageCodec,
  Logger,
  ObjectStore,
  OriginalsStore,
  OutputFiles,
  PushNotes,
  TempFiles,
} from './ports.js';
import type { EngineEvent } from './run-types.js';
import type { TaskDurations } from './task-durations.js';

/** Shared state of one run, handed to each image's work. */
export interface RunContext {
  manifest: ResolvedManifest;
  provider: ImageProvider;
  temps: TempFiles;
  outputs: OutputFiles;
  /** Where originals are kept: every read and write of one goes through it. */
  originals: OriginalsStore;
  codec: ImageCodec;
  /**
   * The project's object store (`store:`): what an image records is pushed to it, and missing
   * outputs are restored from it (push-recorded.ts, restore-outputs.ts).
   */
  objects?: ObjectStore;
  /** Where what is not yet pushed is noted (the push journal). */
  pushNotes: PushNotes;
  /** The store failed for good this run (unreachable, denied): nothing more is tried on it. */
  storeDown?: PixlockError;
  lock: LockWriter;
  /** Paid creates on their way, for a run that dies mid-request. */
  journal: CreateJournal;
  clock: Clock;
  logger: Logger;
  random: () => number;
  signal: AbortSignal;
  emit: (event: EngineEvent) => void;
  /** Provider tasks in flight: a slot is the server's, from create until the task ends. */
  providerLimit: AdaptiveLimit;
  /**
   * One slot per image from download (or drawing) through decode, every encode and write:
   * what bounds the pixels held in memory at once.
   */
  pipeline: ReturnType<typeof pLimit>;
  budget: Budget;
  /** How long this run's tasks take: when each task is polled densely. */
  durations: TaskDurations;
  /**
   * Set when the run must stop creating: auth, credits, a provider charging too much, or a
   * full or failing disk (DISK_FULL, DISK_ERROR).
   */
  stop: PixlockError | undefined;
  /** Paid tasks whose id no disk took, by task key: said on stderr for `--resume`. */
  unrecorded: Map<string, string>;
  /** Leave running tasks to a later run (`generate --no-wait`): see run-plan.ts. */
  noWait: boolean;
  /** What images built on other images share within the run (see image-references.ts). */
  graph: {
    /** Id → the result URL of its task completed in this run, and the original it gave. */
    resultUrls: Map<string, { url: string; sha256: string }>;
    /** Original sha256 → its upload, so one upload serves every image built on it. */
    uploads: Map<string, Promise<string>>;
  };
  /** Rank of an image in the wait for a provider slot: its longest chain of dependents. */
  priorityOf?: (id: string) => number;
  /** Local reference hashes, for the generation hash of a seed chosen now. */
  referenceHash: (sourceFile: string, ref: string) => string | undefined;
  /** Reads a local reference file (absolute path), to send it inline. */
  readReference: (file: string) => Promise<Buffer>;
}
