/** The colours the CLI uses; each wraps a string, or returns it as is when colour is off. */
export interface Style {
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  red(s: string): string;
  dim(s: string): string;
}

const ansi = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;

/** A {@link Style} with ANSI colours, or a no-op one. */
export function createStyle(color: boolean): Style {
  if (!color) {
    const plain = (s: string) => s;
    return { green: plain, yellow: plain, cyan: plain, red: plain, dim: plain };
  }
  return {
    green: ansi(32, 39),
    yellow: ansi(33, 39),
    cyan: ansi(36, 39),
    red: ansi(31, 39),
    dim: ansi(2, 22),
  };
}

/**
 * Whether to colour a stream, the way most CLIs decide: never for `NO_COLOR` (any value, see
 * no-color.org) or `TERM=dumb`, always for `FORCE_COLOR` (not `0`), else only on a terminal.
 */
export function shouldColor(isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  if (env.TERM === 'dumb') return false;
  return isTTY;
}
