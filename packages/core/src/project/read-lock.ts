import type { ProjectPaths } from '../disk/project-paths.js';
import { LOCK_MAX_BYTES, NotRegularFileError, readRegularFile } from '../disk/read-regular-file.js';
import { PixlockError } from '../errors.js';
import { checkLockContainment } from '../lock/lock-containment.js';
import { emptyLock, type Lockfile } from '../lock/lockfile.js';
import { parseLock } from '../lock/parse-lock.js';
import { CacheSession } from './cache/cache-session.js';
import { lockCacheKey, lockChecked, readCachedLock, rememberLock } from './cache/lock-cache.js';

/** Options of {@link readLock}. */
export interface ReadLockOptions {
  /** The manifest's outDir: what the lock's outputs are held to (lock-containment.ts). */
  outDir?: string;
  /**
   * The command's caches, where what this read would cache is staged (default: a session of
   * its own, written once the lock has been read and checked: a command of its own).
   */
  cache?: CacheSession;
}

/**
 * Reads a lockfile; a missing one is an empty lock. The schema check of 10,000 entries costs
 * about a tenth of a second, so a lock whose text passed it is marked in the project's cache
 * (not committed): an unchanged lock is checked once, not on every run, and any edit (by hand,
 * by git) changes the hash and is checked in full. An unchanged lock file is taken parsed from
 * the cache (lock-cache.ts).
 */
export async function readLock(
  paths: Pick<ProjectPaths, 'lockFile' | 'cacheDir'>,
  options: ReadLockOptions = {},
): Promise<Lockfile> {
  const { lockFile } = paths;
  const { outDir } = options;
  const cache = options.cache ?? new CacheSession(paths.cacheDir);
  let text: string;
  let key: string;
  try {
    key = await lockCacheKey(lockFile, outDir);
    const cached = await readCachedLock(cache, key, lockFile);
    if (cached) return cached;
    text = (await readRegularFile(lockFile, { maxBytes: LOCK_MAX_BYTES })).toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyLock();
    // A lock linked elsewhere, a FIFO or a device where the lock was: refused before reading.
    if (error instanceof NotRegularFileError)
      throw new PixlockError('LOCK_INVALID', `the lock ${error.message}`, { cause: error });
    throw error;
  }
  const checked = await lockChecked(cache, key, text);
  const lock = parseLock(text, lockFile, { checked });
  // Before the mark is staged: a lock refused here leaves the tree as it was.
  if (outDir !== undefined) checkLockContainment(lock, outDir, lockFile, () => text);
  await rememberLock(cache, key, lock, lockFile, text, checked);
  if (!options.cache) await cache.commit();
  return lock;
}
