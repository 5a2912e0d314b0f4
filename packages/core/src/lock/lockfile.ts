/** The lockfile format this pixlock reads and writes. */
export const LOCKFILE_VERSION = 1;

/** One output file as written to disk. */
export interface LockedFile {
  /** Relative to the manifest's folder, forward slashes. */
  path: string;
  sha256: string;
  width: number;
  height: number;
  bytes: number;
}

/** The generated original, kept content-addressed under `.pixlock/originals/`. */
export interface LockedOriginal {
  sha256: string;
  mediaType: string;
  bytes: number;
  width: number;
  height: number;
}

/** Everything needed to reproduce and verify one image. */
export interface LockEntry {
  /** sha256 over the canonical generation inputs (see generationHash). */
  generation: string;
  provider: string;
  model: string;
  /** The seed sent, pinned even when the manifest leaves it out. */
  seed: number;
  taskId: string;
  /** Credits the provider reported for the task. */
  credits: number;
  /** ISO time the original arrived. */
  generatedAt: string;
  original: LockedOriginal;
  output: {
    /** sha256 over the output options (see outputHash). */
    hash: string;
    files: LockedFile[];
  };
}

/**
 * A task the provider accepted (and charged for) whose result is not in yet. Recorded before
 * polling so a run that dies resumes it instead of paying again.
 *
 * Without `taskId` it is a create that was sent and whose answer never came (the connection
 * dropped after sending, a gateway timeout, an answer naming no task, or the run was killed
 * mid-request: see create-journal.ts). The provider may have
 * made and charged the task, so no run creates that image again without being told to
 * (`--force`).
 */
export interface PendingTask {
  taskId?: string;
  generation: string;
  provider: string;
  seed: number;
  /** Estimated credits reserved by the provider. */
  credits: number;
  createdAt: string;
}

/** The whole lockfile, `pixlock.lock`. */
export interface Lockfile {
  lockfileVersion: typeof LOCKFILE_VERSION;
  images: Record<string, LockEntry>;
  pending: Record<string, PendingTask>;
}

/** A lockfile with nothing in it. */
export function emptyLock(): Lockfile {
  return { lockfileVersion: LOCKFILE_VERSION, images: {}, pending: {} };
}
