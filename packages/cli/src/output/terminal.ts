/** Where a command writes: injected so tests can capture it. */
export interface Terminal {
  out(line: string): void;
  err(line: string): void;
  /** True on an interactive terminal (progress bars, colour). */
  readonly isTTY: boolean;
  readonly cwd: string;
}

/** The process's own terminal. */
export function processTerminal(): Terminal {
  return {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    isTTY: Boolean(process.stderr.isTTY) && !process.env.CI,
    cwd: process.cwd(),
  };
}

/** `path` relative to the working directory when inside it. */
export function relative(term: Terminal, file: string): string {
  return file.startsWith(term.cwd + '/') ? file.slice(term.cwd.length + 1) : file;
}
