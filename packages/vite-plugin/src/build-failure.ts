import { inspect } from 'node:util';

/**
 * A build stopped for a reason pixlock explains in full (a frozen build that needs the
 * provider, a manifest error at its line): the terminal shows the message alone. `vite build`
 * prints what it catches with `util.inspect`, which for an Error is its stack; the stack here
 * would be pixlock's own frames, of no use to the reader.
 */
export class BuildFailure extends Error {
  override readonly name = 'PixlockBuildFailure';

  /** How `util.inspect` (and so `vite build`'s "error during build:") shows it. */
  [inspect.custom](): string {
    return `[pixlock] ${this.message}`;
  }
}
