import path from 'node:path';
import { check } from '@pixlock/core';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import type { Terminal } from '../output/terminal.js';

/** `pixlock check`: exit 0 when every image is generated, locked and unmodified on disk. */
export async function checkCommand(
  term: Terminal,
  opts: { config: string; json: boolean },
): Promise<number> {
  const result = await check(path.resolve(term.cwd, opts.config));
  if (opts.json) {
    term.out(JSON.stringify(result, null, 2));
  } else if (result.ok) {
    term.out(`ok: all ${result.total} images are generated, locked and unmodified`);
  } else {
    term.out(`drift: ${result.problems.length} of ${result.total} images need work:`);
    for (const p of result.problems) term.out(`  ${p.id}: ${p.action} (${p.reason})`);
    const local = result.problems.every((p) => p.action === 'reprocess' || p.action === 'restore');
    term.out(
      local ? 'fix: pixlock generate --frozen (no provider calls needed)' : 'fix: pixlock generate',
    );
  }
  if (result.orphans.length > 0 && !opts.json) {
    term.out(
      `note: ${result.orphans.length} lock entries are no longer in the manifest (pixlock prune removes them)`,
    );
  }
  return result.ok ? EXIT_OK : EXIT_FAILED;
}
