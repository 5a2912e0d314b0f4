import { execFile } from 'node:child_process';
import { PixlockError } from '../errors.js';

/** Most bytes one git answer may have: a kept original of a 4k image, with a wide margin. */
const MAX_BUFFER = 256 * 1024 * 1024;

/** The environment git runs with (default: the process's own). */
export type GitEnvironment = Readonly<Record<string, string | undefined>>;

/**
 * Runs git with `args` in `cwd` (execFile: no shell ever sees an argument) and resolves with
 * its stdout as bytes. Rejects with GIT_FAILED, carrying git's own message, when it fails.
 */
export function runGit(
  cwd: string,
  args: readonly string[],
  env: GitEnvironment = process.env,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      // No fsmonitor hook: reading a tree must never run a program the repository names.
      ['-c', 'core.fsmonitor=false', ...args],
      {
        cwd,
        encoding: 'buffer',
        maxBuffer: MAX_BUFFER,
        // A repository's config must not make a read run anything or ask anything.
        env: { ...env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
      },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const said = stderr.toString('utf8').trim().split('\n')[0] ?? '';
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        reject(
          new PixlockError(
            'GIT_FAILED',
            missing
              ? 'git is not installed (or not on PATH); pixlock review reads the base from git'
              : `git ${args[0]} failed in ${cwd}: ${said || error.message}`,
            { cause: error },
          ),
        );
      },
    );
  });
}
