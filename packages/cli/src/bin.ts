#!/usr/bin/env node
import { runCli } from './cli.js';
import { EXIT_INTERNAL } from './exit-codes.js';
import { BUG_NOTICE } from './output/report-error.js';
import { processTerminal } from './output/terminal.js';

// Ctrl-C once: stop starting work, finish what is being written, leave a valid lock.
// Twice: leave at once (the lock on disk is still whole: it is only ever replaced atomically).
const controller = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  if (++interrupts > 1) process.exit(130);
  process.stderr.write('\nstopping: finishing what is in progress (Ctrl-C again to quit now)\n');
  controller.abort(new Error('interrupted'));
});
// SIGTERM (a CI timeout, `kill`): the same orderly stop, but bounded. A read that never
// returns (an output linked to a device, a hung mount) must not keep the process alive past
// its supervisor's patience, and a second SIGTERM leaves at once. Leaving early is safe: the
// lock is only ever replaced atomically, and a create on its way is in the journal.
const TERM_GRACE_MS = 10_000;
let terms = 0;
process.on('SIGTERM', () => {
  if (++terms > 1) process.exit(143);
  process.stderr.write(
    `\nterminated: finishing what is in progress for at most ${TERM_GRACE_MS / 1000} s (SIGTERM again to quit now)\n`,
  );
  controller.abort(new Error('terminated'));
  setTimeout(() => process.exit(143), TERM_GRACE_MS).unref();
});

// `pixlock plan --json | head`: the reader went away, as with git, the answer is exit 141
// (128 + SIGPIPE, which Node turns into this error) without a stack trace. Leaving mid-run is
// safe for the same reasons as SIGTERM's second signal.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(141);
  });
}

// Nothing left to run while the command has not answered: a promise that never settles (a
// slot never given back). Node would exit 0 or 13 with nothing said and no lock written; say
// it is a bug instead, so no script takes it for success.
let answered = false;
process.on('beforeExit', () => {
  if (answered) return;
  process.stderr.write(
    `error INTERNAL: pixlock stopped waiting for work that can no longer finish; ${BUG_NOTICE}\n`,
  );
  process.exit(EXIT_INTERNAL);
});

process.exitCode = await runCli(process.argv.slice(2), processTerminal(), controller.signal);
answered = true;
