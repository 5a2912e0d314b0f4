#!/usr/bin/env node
import { runCli } from './cli.js';
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
process.on('SIGTERM', () => controller.abort(new Error('terminated')));

process.exitCode = await runCli(process.argv.slice(2), processTerminal(), controller.signal);
