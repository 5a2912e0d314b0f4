import { stat } from 'node:fs/promises';
import path from 'node:path';
import { writeCacheFile } from './write-cache-file.js';
import { sha256 } from '../../util/sha256.js';
import { RACY_MS } from '../../util/racy.js';
import { LOCK_SCHEMA_REVISION } from '../../lock/lock-schema-revision.js';
import type { Lockfile } from '../../lock/lockfile.js';
import { LOCK_MAX_BYTES, readCacheText, readRegularFile } from '../../disk/read-regular-file.js';

const FILE = 'parsed-lock.json';

const digests = new WeakMap<Lockfile, string>();

/**
 * What a lock object was read from, for one read by `readLock` and not changed since (a lock a
 * journal replay changed is not asked): distinct texts never share a digest.
 */
export function lockDigest(lock: Lockfile): string | undefined {
  return digests.get(lock);
}

/**
 * The last lock read, already parsed and checked, in `.pixlock/cache/` (never committed), so
 * an unchanged lock costs a `stat` and a `JSON.parse` instead of a read, a sha256 and a YAML
 * parse (about three times faster at 10,000 images). Keyed the way git trusts its index: the
 * lock's size, modification time, inode and change time, plus what the check depended on (the
 * checks' revision and outDir). Any write to the lock (an edit, a checkout, a merge) changes
 * its modification or change time, and the lock is then read and checked in full.
 */
export async function lockCacheKey(lockFile: string, outDir: string | undefined) {
  const s = await stat(lockFile);
  return `${LOCK_SCHEMA_REVISION} ${s.size}:${s.mtimeMs}:${s.ino}:${s.ctimeMs} ${JSON.stringify(outDir ?? null)}`;
}

/** The mtimeMs inside a {@link lockCacheKey} ("<revision> size:mtimeMs:ino:ctimeMs <outDir>"). */
export function lockKeyMtime(key: string): number {
  const stat = key.split(' ')[1]?.split(':');
  return stat?.length === 4 ? Number(stat[1]) : Infinity;
}

/** The cached lock for this key, or undefined. */
export async function readCachedLock(
  cacheDir: string,
  key: string,
  lockFile?: string,
): Promise<Lockfile | undefined> {
  const text = (await readCacheText(path.join(cacheDir, FILE))) ?? '';
  const cut = text.indexOf('\n');
  const cut2 = text.indexOf('\n', cut + 1);
  if (cut < 0 || cut2 < 0 || text.slice(0, cut) !== key) return undefined;
  const digest = text.slice(cut + 1, cut2);
  if (digest !== '-') {
    // Written while the lock was racily clean: its bytes must still be the ones checked.
    const now = lockFile
      ? await readRegularFile(lockFile, { maxBytes: LOCK_MAX_BYTES }).then(
          (b) => b.toString('utf8'),
          () => undefined,
        )
      : undefined;
    if (now === undefined || sha256(now) !== digest) return undefined;
  }
  try {
    const lock = JSON.parse(text.slice(cut2 + 1)) as Lockfile;
    digests.set(lock, `${key}\0${digest}`);
    return lock;
  } catch {
    return undefined;
  }
}

/**
 * Keeps a lock that passed every check under its key, with the sha256 of `text` when the lock
 * is racily clean (modified in the last few seconds). Only a speed-up: failures are ignored.
 */
export async function writeCachedLock(
  cacheDir: string,
  key: string,
  lock: Lockfile,
  lockFile: string,
  text: string,
) {
  // Taken after the text was read: a later time can only make the lock look racier.
  const mtimeMs = await stat(lockFile).then(
    (s) => s.mtimeMs,
    () => undefined,
  );
  const racy = mtimeMs === undefined || Date.now() - mtimeMs < RACY_MS;
  const digest = racy ? sha256(text) : '-';
  // The same digest a later read of the cache gives this lock.
  digests.set(lock, `${key}\0${digest}`);
  await writeCacheFile(cacheDir, FILE, `${key}\n${digest}\n${JSON.stringify(lock)}`).catch(
    () => undefined,
  );
}
