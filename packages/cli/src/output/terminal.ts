import { shouldColor } from './style.js';

/** Where a command writes: injected so tests can capture it. */
export interface Terminal {
  /** Results: plans, summaries, `--json` documents. */
  out(line: string): void;
  /** Progress and diagnostics. */
  err(line: string): void;
  /** True on an interactive terminal (progress bars). */
  readonly isTTY: boolean;
  /** Colour what goes to `out` (plan symbols). Off when absent. */
  readonly color?: boolean;
  readonly cwd: string;
}

/** The process's own terminal. */
export function processTerminal(): Terminal {
  return {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    isTTY: Boolean(process.stderr.isTTY) && !process.env.CI,
    color: shouldColor(Boolean(process.stdout.isTTY), process.env),
    cwd: process.cwd(),
  };
}

/** `path` relative to the working directory when inside it. */
export function relative(term: Terminal, file: string): string {
  return file.startsWith(term.cwd + '/') ? file.slice(term.cwd.length + 1) : file;
}
