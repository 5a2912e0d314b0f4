import path from 'node:path';
import { emptyLock, type Lockfile } from '../lock/lockfile.js';
import { parseLock } from '../lock/parse-lock.js';
import { checkLockContainment } from '../lock/lock-containment.js';
import { lockCacheKey, readCachedLock, writeCachedLock } from '../lock/parsed-lock-cache.js';
import { loadManifest } from '../manifest/load-manifest.js';
import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import { checkProjectFolders, outputFolders } from '../disk/check-project-folders.js';
import { observeDisk } from '../disk/observe-disk.js';
import { writeCacheFile } from '../disk/write-cache-file.js';
import { replayJournal } from '../disk/replay-journal.js';
import { projectPaths } from '../disk/project-paths.js';
import {
  LOCK_MAX_BYTES,
  NotRegularFileError,
  readCacheText,
  readRegularFile,
} from '../disk/read-regular-file.js';
import { PixlockError } from '../errors.js';
import { sha256 } from '../util/sha256.js';
import { plan, type Observed, type Plan, type PlanOptions } from '../plan/plan.js';
import { cachedPlan, planKey, rememberPlan } from './plan-cache.js';
import { rememberUpToDate } from './remember-up-to-date.js';

/** A manifest with its lock, as read from disk. */
export interface Project {
  manifest: ResolvedManifest;
  /** With creates a killed run left unsettled folded into `pending` (not yet on disk). */
  lock: Lockfile;
  paths: ReturnType<typeof projectPaths>;
  /** How many creates the journal added to the lock's `pending`. */
  unsettledCreates: number;
  /** How many lock changes a run that died left in the journal (replayed into `lock`). */
  journaledChanges?: number;
}

const CHECKED_LOCK = 'checked-lock';

/**
 * Reads and validates the manifest (and included files) and the lock beside it, and checks
 * that no folder the project's files live in is a link (PATH_UNSAFE).
 */
export async function loadProject(configFile: string): Promise<Project> {
  // Cache writes wait until everything read is valid: a command that fails writes nothing.
  const cacheWrites: (() => Promise<void>)[] = [];
  const deferCacheWrite = (write: () => Promise<void>) => void cacheWrites.push(write);
  const manifest = await loadManifest(configFile, undefined, { deferCacheWrite });
  const paths = projectPaths(manifest.file);
  const lock = await readLock(paths.lockFile, manifest.outDir, deferCacheWrite);
  const replayed = await replayJournal(
    lock,
    [paths.legacyJournal, paths.journalOld, paths.journal],
    manifest.outDir,
  );
  // Before any output is read (planning hashes them) or written: outDir and every folder of
  // the outputs, the manifest's and the lock's, are real folders on every component.
  checkProjectFolders(paths.dir, outputFolders(manifest, lock));
  for (const write of cacheWrites) await write();
  return {
    manifest,
    lock,
    paths,
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
  lockFile: string,
  outDir?: string,
  deferCacheWrite?: (write: () => Promise<void>) => void,
): Promise<Lockfile> {
  let text: string;
  const { cacheDir } = projectPaths(lockFile);
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

/** Looks at the disk and plans. */
export async function planProject(
  project: Project,
  options: PlanOptions = {},
): Promise<{ plan: Plan; observed: Observed }> {
  const observed = await observeDisk(project.manifest, project.lock);
  // A lock a journal replay changed is not the one its digest names: planned afresh.
  const replayed = project.unsettledCreates + (project.journaledChanges ?? 0) > 0;
  const key = replayed ? undefined : planKey(project.manifest, project.lock, observed, options);
  const file = project.manifest.file;
  const cached = key === undefined ? undefined : await cachedPlan(file, key);
  const result = cached ?? plan(project.manifest, project.lock, observed, options);
  if (key !== undefined && !cached) await rememberPlan(file, key, result);
  // A plan of the whole project with nothing to do: the next no-op can be answered from it.
  const whole = [options.only, options.force, options.alsoAccept].every((o) => o === undefined);
  if (key !== undefined && whole) await rememberUpToDate(project, result, key, observed.stamps);
  return { plan: result, observed };
}
