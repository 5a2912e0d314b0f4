import { stat } from 'node:fs/promises';
import { sha256 } from '../../util/sha256.js';
import { RACY_MS } from '../../util/racy.js';
import { LOCK_SCHEMA_REVISION } from '../../lock/lock-schema-revision.js';
import type { Lockfile } from '../../lock/lockfile.js';
import { LOCK_MAX_BYTES, readRegularFile } from '../../disk/read-regular-file.js';
import { CACHE_FILES } from './cache-files.js';
import type { CacheSession } from './cache-session.js';

const FILE = CACHE_FILES.parsedLock;
const CHECKED_LOCK = CACHE_FILES.checkedLock;

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
  cache: CacheSession,
  key: string,
  lockFile: string,
): Promise<Lockfile | undefined> {
  const text = (await cache.read(FILE)) ?? '';
  const cut = text.indexOf('\n');
  const cut2 = text.indexOf('\n', cut + 1);
  if (cut < 0 || cut2 < 0 || text.slice(0, cut) !== key) return undefined;
  const digest = text.slice(cut + 1, cut2);
  if (digest !== '-') {
    // Written while the lock was racily clean: its bytes must still be the ones checked.
    const now = await readRegularFile(lockFile, { maxBytes: LOCK_MAX_BYTES }).then(
      (b) => b.toString('utf8'),
      () => undefined,
    );
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
 * True when the lock's text `text`, read from the file whose stat key is `key`, is marked as
 * having passed the schema check. The mark names this very file (its stat key), not only its
 * text: `.pixlock/` is committed, and a mark forced into a pull request beside a hostile lock
 * would otherwise switch the lock's checks off (the sha256 of a text is easy to compute; a
 * checkout's inode is not).
 */
export async function lockChecked(cache: CacheSession, key: string, text: string) {
  return (await cache.read(CHECKED_LOCK)) === checkedMark(key, text);
}

/**
 * Stages the marks of a lock that passed every check: that its text did (unless it was known),
 * and the parsed lock under its key, with the sha256 of `text` when the lock is racily clean
 * (modified in the last few seconds). The parsed lock is taken now, as read, before anything
 * (a journal's replay) changes it.
 */
export async function rememberLock(
  cache: CacheSession,
  key: string,
  lock: Lockfile,
  lockFile: string,
  text: string,
  checked: boolean,
): Promise<void> {
  // Only a speed-up: a read-only checkout simply checks again next time.
  if (!checked) cache.stage(CHECKED_LOCK, checkedMark(key, text), { create: true });
  // Taken after the text was read: a later time can only make the lock look racier.
  const mtimeMs = await stat(lockFile).then(
    (s) => s.mtimeMs,
    () => undefined,
  );
  const racy = mtimeMs === undefined || Date.now() - mtimeMs < RACY_MS;
  const digest = racy ? sha256(text) : '-';
  // The same digest a later read of the cache gives this lock.
  digests.set(lock, `${key}\0${digest}`);
  cache.stage(FILE, `${key}\n${digest}\n${JSON.stringify(lock)}`, { create: true });
}

function checkedMark(key: string, text: string): string {
  return `${key} ${sha256(text)}\n`;
}
