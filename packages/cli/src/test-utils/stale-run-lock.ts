import { utimes } from 'node:fs/promises';
import path from 'node:path';

/**
 * Makes the run lock a `kill -9`ed run left beside `dir`'s manifest look as it does once the
 * run's 5 s stale time has passed (its refresh stopped with the process): the next run then
 * takes it over at once, through the same takeover as after the wait, without the wait.
 * Resolves to whether there was such a lock. `name`: another run mutex (a shard's,
 * `.pixlock-run-shard-<i>-of-<n>.lock`).
 */
export async function ageStaleRunLock(dir: string, name = '.pixlock-run.lock'): Promise<boolean> {
  const lock = path.join(dir, name);
  const minuteAgo = new Date(Date.now() - 60_000);
  try {
    await utimes(lock, minuteAgo, minuteAgo);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
