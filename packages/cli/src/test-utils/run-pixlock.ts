import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// The built CLI as a real process (pnpm test builds it first with tsc -b).
const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

/** What a CLI process did. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `pixlock ...args` in `cwd` as CI would (no TTY, CI=1), with `env` on top. */
export function runPixlock(
  cwd: string,
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, env: { ...process.env, CI: '1', ...env } },
      (error, stdout, stderr) => {
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
          stdout,
          stderr,
        });
      },
    );
  });
}
