import type pLimit from 'p-limit';
import type { PixlockError } from '../errors.js';
import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import type { ImageProvider } from '../providers/image-provider.js';
import type { AdaptiveLimit } from './adaptive-limit.js';
import type { CreateJournal } from '../disk/create-journal.js';
import type { LockWriter } from './lock-writer.js';
import type { Clock, Logger, ProjectStore } from './ports.js';
import type { EngineEvent } from './run-types.js';

/** Shared state of one run, handed to each image's work. */
export interface RunContext {
  manifest: ResolvedManifest;
  provider: ImageProvider;
  store: ProjectStore;
  lock: LockWriter;
  /** Paid creates on their way, for a run that dies mid-request. */
  journal: CreateJournal;
  clock: Clock;
  logger: Logger;
  random: () => number;
  signal: AbortSignal;
  emit: (event: EngineEvent) => void;
  /** Provider tasks in flight. */
  providerLimit: AdaptiveLimit;
  /** CPU work (decode, resize, encode). */
  cpuLimit: ReturnType<typeof pLimit>;
  /** Credits this run may still commit; undefined for no budget. */
  maxCredits: number | undefined;
  /** Estimated credits of the tasks created so far in this run. */
  committedCredits: number;
  /** Set when the provider said to stop: auth stops everything, credits stop new tasks. */
  stop: PixlockError | undefined;
  /** Local reference hashes, for the generation hash of a seed chosen now. */
  referenceHash: (sourceFile: string, ref: string) => string | undefined;
}
