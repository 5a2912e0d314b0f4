import path from 'node:path';
import { emptyLock, type Lockfile } from '../lock/lockfile.js';
import { parseLock } from '../lock/parse-lock.js';
import { checkLockContainment } from '../lock/lock-containment.js';
import { lockCacheKey, readCachedLock, writeCachedLock } from './cache/lock-cache.js';
import { loadManifest } from '../manifest/load-manifest.js';
import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import { checkProjectFolders, outputFolders } from '../disk/check-project-folders.js';
import { writeCacheFile } from './cache/write-cache-file.js';
import { replayJournal } from '../disk/replay-journal.js';
import { journalFiles, projectPaths, type ProjectPaths } from '../disk/project-paths.js';
import {
  LOCK_MAX_BYTES,
  NotRegularFileError,
  readCacheText,
  readRegularFile,
} from '../disk/read-regular-file.js';
import { PixlockError } from '../errors.js';
import { sha256 } from '../util/sha256.js';
import { localOriginals } from '../originals/local-originals.js';
import type { OriginalsStore } from '../originals/originals-store.js';

/** A manifest with its lock, as read from disk. */
export interface Project {
  manifest: ResolvedManifest;
  /** With creates a killed run left unsettled folded into `pending` (not yet on disk). */
  lock: Lockfile;
  /** Where its files are: made once, from the manifest's path, at the command's start. */
  paths: ProjectPaths;
  /** Where its originals are kept (default: the local folder `.pixlock/originals`). */
  originals: OriginalsStore;
  /** How many creates the journal added to the lock's `pending`. */
  unsettledCreates: number;
  /** How many lock changes a run that died left in the journal (replayed into `lock`). */
  journaledChanges?: number;
}

/** Options of {@link loadProject} and {@link readProject}. */
export interface ReadProjectOptions {
  /** Where the project's originals are kept (default: the local folder). */
  originals?: OriginalsStore;
}

const CHECKED_LOCK = 'checked-lock';

/**
 * Reads and validates the manifest (and included files) and the lock beside it, and checks
 * that no folder the project's files live in is a link (PATH_UNSAFE).
 */
export async function loadProject(
  configFile: string,
  options: ReadProjectOptions = {},
): Promise<Project> {
  return readProject(projectPaths(configFile), options);
}

/**
 * The project at `paths` as one snapshot: the manifest with its includes, the lock with what a
 * killed run left in the journal replayed, the originals store. Writes nothing unless all of
 * it is valid (then only the caches of what was read).
 */
export async function readProject(
  paths: ProjectPaths,
  options: ReadProjectOptions = {},
): Promise<Project> {
  // Cache writes wait until everything read is valid: a command that fails writes nothing.
  const cacheWrites: (() => Promise<void>)[] = [];
  const deferCacheWrite = (write: () => Promise<void>) => void cacheWrites.push(write);
  const manifest = await loadManifest(paths.manifestFile, undefined, { deferCacheWrite });
  const lock = await readLock(paths, manifest.outDir, deferCacheWrite);
  const replayed = await replayJournal(lock, journalFiles(paths), manifest.outDir);
  // Before any output is read (planning hashes them) or written: outDir and every folder of
  // the outputs, the manifest's and the lock's, are real folders on every component.
  checkProjectFolders(paths.dir, outputFolders(manifest, lock));
  for (const write of cacheWrites) await write();
  return {
    manifest,
    lock,
    paths,
    originals: options.originals ?? localOriginals(paths.dir),
    unsettledCreates: replayed.unsettled,
    journaledChanges: replayed.changes,
  };
}

/**
 * Reads a lockfile; a missing one is an empty lock. The schema check of 10,000 entries costs
 * about a tenth of a second, so the sha256 of the last text that passed it is kept in the
 * project's cache (not committed): an unchanged lock is checked once, not on every run, and
 * any edit (by hand, by git) changes the hash and is checked in full.
 */
export async function readLock(
  paths: Pick<ProjectPaths, 'lockFile' | 'cacheDir'>,
  outDir?: string,
  deferCacheWrite?: (write: () => Promise<void>) => void,
): Promise<Lockfile> {
  let text: string;
  const { lockFile, cacheDir } = paths;
  let key: string;
  try {
    key = await lockCacheKey(lockFile, outDir);
    const cached = await readCachedLock(cacheDir, key, lockFile);
    if (cached) return cached;
    text = (await readRegularFile(lockFile, { maxBytes: LOCK_MAX_BYTES })).toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyLock();
    // A lock linked elsewhere, a FIFO or a device where the lock was: refused before reading.
    if (error instanceof NotRegularFileError)
      throw new PixlockError('LOCK_INVALID', `the lock ${error.message}`, { cause: error });
    throw error;
  }
  // The mark names this very file (its stat key), not only its text: `.pixlock/` is committed,
  // and a mark forced into a pull request beside a hostile lock would otherwise switch the
  // lock's checks off (the sha256 of a text is easy to compute; a checkout's inode is not).
  const expected = `${key} ${sha256(text)}\n`;
  const checked = (await readCacheText(path.join(cacheDir, CHECKED_LOCK))) === expected;
  const lock = parseLock(text, lockFile, { checked });
  // Before the mark is written: a lock refused here leaves the tree as it was.
  if (outDir !== undefined) checkLockContainment(lock, outDir, lockFile, () => text);
  // Only a speed-up: a read-only checkout simply checks again next time.
  const remember = async () => {
    if (!checked) await writeCacheFile(cacheDir, CHECKED_LOCK, expected).catch(() => undefined);
    await writeCachedLock(cacheDir, key, lock, lockFile, text);
  };
  if (deferCacheWrite) deferCacheWrite(remember);
  else await remember();
  return lock;
}
