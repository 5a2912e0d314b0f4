import type { z } from 'zod';
import type {
  lockedCandidateSchema,
  lockEntrySchema,
  lockedFileSchema,
  lockedOriginalSchema,
  pendingTaskSchema,
} from './lock-schema.js';

/**
 * The lockfile format this pixlock writes. 2 added `variants` (an entry's `chosen` and
 * `candidates`, a pending task's `candidate`); a version-1 lock is read as it is (its fields
 * are a subset) and written as 2 the next time anything is written.
 */
export const LOCKFILE_VERSION = 2;

/** Every lockfile version this pixlock reads. */
export const READABLE_LOCKFILE_VERSIONS: readonly number[] = [1, 2];

/** One candidate of an image made with `variants` (fields: lock-schema.ts). */
export type LockedCandidate = z.output<typeof lockedCandidateSchema>;

/** One output file as written to disk (fields: lock-schema.ts). */
export type LockedFile = z.output<typeof lockedFileSchema>;

/** The generated original, kept content-addressed under `.pixlock/originals/`. */
export type LockedOriginal = z.output<typeof lockedOriginalSchema>;

/** Everything needed to reproduce and verify one image. */
export type LockEntry = z.output<typeof lockEntrySchema>;

/**
 * A task the provider accepted (and charged for) whose result is not in yet. Recorded before
 * polling so a run that dies resumes it instead of paying again.
 *
 * Without `taskId` it is a create that was sent and whose answer never came (the connection
 * dropped after sending, a gateway timeout, an answer naming no task, or the run was killed
 * mid-request: see lock-journal.ts). The provider may have made and charged the task, so no
 * run creates that image again without being told to (`--force`).
 */
export type PendingTask = z.output<typeof pendingTaskSchema>;

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
