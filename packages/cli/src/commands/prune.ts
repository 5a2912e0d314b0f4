import path from 'node:path';
import { prune } from '@pixlock/core';
import { EXIT_OK } from '../exit-codes.js';
import type { Terminal } from '../output/terminal.js';

/** `pixlock prune`: removes orphans' lock entries and outputs, and unreferenced originals. */
export async function pruneCommand(
  term: Terminal,
  opts: { config: string; json: boolean; dryRun?: boolean },
): Promise<number> {
  const result = await prune(path.resolve(term.cwd, opts.config), { dryRun: opts.dryRun ?? false });
  if (opts.json) {
    term.out(JSON.stringify(result, null, 2));
    return EXIT_OK;
  }
  const verb = result.dryRun ? 'would remove' : 'removed';
  for (const id of result.ids) term.out(`  - ${id}`);
  for (const f of [...result.files, ...result.originals]) term.out(`    ${f}`);
  term.out(
    `${verb} ${result.ids.length} lock entries, ${result.files.length} outputs, ${result.originals.length} originals`,
  );
  return EXIT_OK;
}
