import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { PixlockError } from '../errors.js';

/** How long to wait for another process, and how to tell the user that we are. */
export interface MutexOptions {
  /** Milliseconds to wait for another run to finish before giving up (default 60 s). */
  waitMs?: number;
  onWait?: () => void;
}

/**
 * The mutex folder of a shard run beside the manifest (`.pixlock-run-shard-<i>-of-<n>.lock`,
 * see shard/shard-paths.ts): what an exclusive run waits to see gone.
 */
const SHARD_MUTEX_NAME = /^\.pixlock-run-shard-\d+-of-\d+\.lock$/;

/**
 * Makes sure only one process changes a project at a time. A directory lock (atomic mkdir of
 * `<runLockPath>.lock`, beside the manifest rather than in `.pixlock/`, so deleting that folder
 * mid-run does not let a second run in) that the holder refreshes every second; one whose holder died (kill -9) goes stale after
 * five seconds and is taken over. Runs of shards (`generate --shard`) may work side by side
 * (see {@link acquireShardRunMutex}); this one also waits for them to end, holding the mutex
 * so that no new one starts. Returns the release function.
 */
export async function acquireRunMutex(
  runLockPath: string,
  manifestFile: string,
  options: MutexOptions = {},
): Promise<() => Promise<void>> {
  const deadline = Date.now() + (options.waitMs ?? 60_000);
  const told = { value: false };
  const release = await lockFolder(runLockPath, manifestFile, deadline, told, options);
  try {
    const dir = path.dirname(runLockPath);
    for (;;) {
      const running = await shardRuns(dir);
      if (running.length === 0) return release;
      if (Date.now() >= deadline)
        throw new PixlockError(
          'PROJECT_BUSY',
          `shard runs are working on ${manifestFile} (${running.join(', ')}); wait for them to finish, or stop them`,
        );
      if (!told.value) {
        options.onWait?.();
        told.value = true;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (error) {
    await release();
    throw error;
  }
}

/**
 * The mutex of one shard run (`generate --shard i/n`): shards of a manifest work side by side
 * in one folder, each holding its own mutex; a second run of the same shard waits for the
 * first, and an exclusive run (generate, merge, prune, pick) for all of them. The project's
 * mutex is held only for the moment the shard's is taken, so an exclusive run that waits
 * holding it lets no new shard in. Returns the release function.
 */
export async function acquireShardRunMutex(
  runLockPath: string,
  shardRunLockPath: string,
  manifestFile: string,
  options: MutexOptions = {},
): Promise<() => Promise<void>> {
  checkRunMutex(shardRunLockPath);
  const deadline = Date.now() + (options.waitMs ?? 60_000);
  // Shards starting together take the project's mutex one after the other for a moment:
  // that is no wait worth telling about.
  const told = { value: false, after: Date.now() + 2000 };
  const releaseProject = await lockFolder(runLockPath, manifestFile, deadline, told, options);
  try {
    return await lockFolder(shardRunLockPath, manifestFile, deadline, told, options);
  } finally {
    await releaseProject();
  }
}

/** Names of the shard runs holding their mutex beside the manifest (stale ones left out). */
async function shardRuns(dir: string): Promise<string[]> {
  const names = readdirSync(dir).filter((name) => SHARD_MUTEX_NAME.test(name));
  const live: string[] = [];
  for (const name of names) {
    const file = path.join(dir, name.slice(0, -'.lock'.length));
    const locked = await lockfile
      .check(file, { realpath: false, stale: STALE_MS })
      .catch(() => false);
    if (locked) live.push(name.slice('.pixlock-run-'.length, -'.lock'.length));
  }
  return live.sort();
}

const STALE_MS = 5000;

/** Takes the folder lock of `runLockPath` (proper-lockfile), waiting until `deadline`. */
async function lockFolder(
  runLockPath: string,
  manifestFile: string,
  deadline: number,
  told: { value: boolean; after?: number },
  options: MutexOptions,
): Promise<() => Promise<void>> {
  await mkdir(path.dirname(runLockPath), { recursive: true });
  checkRunMutex(runLockPath);
  for (;;) {
    try {
      const release = await lockfile.lock(runLockPath, {
        realpath: false,
        stale: STALE_MS,
        update: 1000,
        onCompromised: () => {
          // Another process took the lock over (we stalled for over 5 s). The lock file is still
          // written atomically, so carry on rather than crash mid-write.
        },
      });
      return async () => {
        await release().catch(() => {});
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      if (Date.now() >= deadline) {
        throw new PixlockError(
          'PROJECT_BUSY',
          `another pixlock process is working on ${manifestFile}; wait for it to finish, or stop it (its lock is ${runLockPath}.lock)`,
        );
      }
      if (!told.value && Date.now() >= (told.after ?? 0)) {
        options.onWait?.();
        told.value = true;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * Checks the place of the run mutex of `runLockPath`, before a command that will take it reads
 * or writes anything. The mutex is an empty folder that exists only while a run holds it;
 * anything else there (a link, a file, a folder with files: committed or copied by mistake) is
 * not one, and the locking library would follow the link or fail to remove it with a bare
 * ENOTDIR / ENOTEMPTY. Said plainly instead (PATH_UNSAFE), with how to clear it; nothing is
 * removed.
 */
export function checkRunMutex(runLockPath: string): void {
  const file = `${runLockPath}.lock`;
  const stat = lstatSync(file, { throwIfNoEntry: false });
  if (!stat || (stat.isDirectory() && readdirSync(file).length === 0)) return;
  const what = stat.isSymbolicLink()
    ? `a symbolic link (to ${readlinkSync(file)})`
    : stat.isDirectory()
      ? 'a folder holding files'
      : 'a file';
  throw new PixlockError(
    'PATH_UNSAFE',
    `${file} is ${what}, not pixlock's run mutex (an empty folder that exists only while a run works); it was probably committed or copied by mistake. ` +
      `Remove it (rm -r ${path.basename(file)} beside the manifest), keep it out of git (.gitignore), and run again`,
    { details: { path: file } },
  );
}
