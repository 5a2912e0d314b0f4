import type { z } from 'zod';
import type {
  lockEntrySchema,
  lockedFileSchema,
  lockedOriginalSchema,
  pendingTaskSchema,
} from './lock-schema.js';

/** The lockfile format this pixlock reads and writes. */
export const LOCKFILE_VERSION = 1;

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
