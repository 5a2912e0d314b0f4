import { shouldColor } from './style.js';

/** Environment variables, as the process has them (`process.env`) or as a test gives them. */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Everything a command takes from the process it runs in: where it writes, whether that is a
 * terminal, its working directory and its environment. Injected, so that a test can run the
 * CLI in its own process with a capturing terminal and its own environment, through the same
 * code as the bin.
 */
export interface Terminal {
  /** Results: plans, summaries, `--json` documents. */
  out(line: string): void;
  /** Progress and diagnostics. */
  err(line: string): void;
  /** True on an interactive terminal (progress bars). */
  readonly isTTY: boolean;
  /** Colour what goes to `out` (plan symbols). Off when absent. */
  readonly color?: boolean;
  /** The working directory: relative paths in argv are resolved from it. */
  readonly cwd: string;
  /** Where settings and secrets come from (`KINOVI_API_KEY`, `PIXLOCK_DEBUG`, ...). */
  readonly env: Environment;
}

/** The process's own terminal. */
export function processTerminal(): Terminal {
  return {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    isTTY: Boolean(process.stderr.isTTY) && !process.env.CI,
    color: shouldColor(Boolean(process.stdout.isTTY), process.env),
    cwd: process.cwd(),
    env: process.env,
  };
}

/** `path` relative to the working directory when inside it. */
export function relative(term: Terminal, file: string): string {
  return file.startsWith(term.cwd + '/') ? file.slice(term.cwd.length + 1) : file;
}
