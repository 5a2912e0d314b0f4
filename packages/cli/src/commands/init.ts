import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PixlockError, starterManifest } from '@pixlock/core';
import { EXIT_OK } from '../exit-codes.js';
import type { Terminal } from '../output/terminal.js';

/** `pixlock init`: writes a commented starter manifest; never overwrites one. */
export async function initCommand(
  term: Terminal,
  opts: { config: string; json: boolean; force?: boolean },
): Promise<number> {
  const file = path.resolve(term.cwd, opts.config);
  if (existsSync(file) && !opts.force) {
    throw new PixlockError('USAGE', `${file} already exists (use --force to overwrite it)`);
  }
  await writeFile(file, starterManifest());
  if (opts.json) term.out(JSON.stringify({ ok: true, file }, null, 2));
  else term.err(`wrote ${file}\nnext: pixlock plan, then pixlock generate`);
  return EXIT_OK;
}
