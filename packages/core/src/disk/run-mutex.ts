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
 * Makes sure only one process changes a project at a time. A directory lock (atomic mkdir of
 * `<runLockPath>.lock`, beside the manifest rather than in `.pixlock/`, so deleting that folder
 * mid-run does not let a second run in) that the holder refreshes every second; one whose holder died (kill -9) goes stale after
 * five seconds and is taken over. Returns the release function.
 */
export async function acquireRunMutex(
  runLockPath: string,
  manifestFile: string,
  options: MutexOptions = {},
): Promise<() => Promise<void>> {
  await mkdir(path.dirname(runLockPath), { recursive: true });
  checkRunMutex(runLockPath);
  const deadline = Date.now() + (options.waitMs ?? 60_000);
  let told = false;
  for (;;) {
    try {
      const release = await lockfile.lock(runLockPath, {
        realpath: false,
        stale: 5000,
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
      if (!told) {
        options.onWait?.();
        told = true;
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
