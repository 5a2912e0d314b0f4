import { runCli } from '../cli.js';
import { shouldColor } from '../output/style.js';
import type { Environment, Terminal } from '../output/terminal.js';
import type { Run } from './run-pixlock.js';

/** Options of {@link runPixlockInProcess} beyond argv, working directory and environment. */
export interface InProcessOptions {
  /** Stands for Ctrl-C / SIGTERM: what the bin's signal handlers abort. */
  signal?: AbortSignal;
}

/**
 * Runs `pixlock ...args` in this process through `runCli`, the function the bin calls, as
 * {@link runPixlock} runs the built bin: in `cwd`, not on a terminal (as in a pipe), with the
 * process's environment, `CI=1` and `env` on top. Resolves with the exit code and everything
 * written to stdout and stderr, each line ending in a newline as the bin writes it.
 *
 * Nothing of the run is global: the working directory and the environment are this call's own
 * (`process.cwd()` and `process.env` are neither read nor changed), so runs may overlap.
 * What needs a real process (kill -9, signals, pipes, the packed install) uses runPixlock.
 */
export async function runPixlockInProcess(
  cwd: string,
  args: readonly string[],
  env: Environment = {},
  options: InProcessOptions = {},
): Promise<Run> {
  const environment: Environment = { ...process.env, CI: '1', ...env };
  let stdout = '';
  let stderr = '';
  const term: Terminal = {
    out: (line) => {
      stdout += line + '\n';
    },
    err: (line) => {
      stderr += line + '\n';
    },
    isTTY: false,
    color: shouldColor(false, environment),
    cwd,
    env: environment,
  };
  const code = await runCli([...args], term, options.signal);
  return { code, stdout, stderr };
}
