import path from 'node:path';
import { reviewProject } from '@pixlock/core';
import { EXIT_OK } from '../exit-codes.js';
import { relative, type Terminal } from '../output/terminal.js';

/**
 * `pixlock review`: a static HTML report of what changed since `--base` (default HEAD), written
 * to a folder. `--json` prints the same content on stdout. Calls no provider.
 */
export async function reviewCommand(
  term: Terminal,
  opts: { config: string; json: boolean; base?: string; out?: string },
): Promise<number> {
  const { review, outDir } = await reviewProject(path.resolve(term.cwd, opts.config), {
    ...(opts.base !== undefined && { base: opts.base }),
    ...(opts.out !== undefined && { out: path.resolve(term.cwd, opts.out) }),
  });
  if (opts.json) {
    term.out(JSON.stringify(review, null, 2));
    return EXIT_OK;
  }
  const s = review.summary;
  term.out(
    `review ${review.base} → ${review.head}: ${s.changed} changed, ${s.added} added, ${s.removed} removed, ${s.unchanged} unchanged; ${s.creditsSpent} credits spent; output bytes ${s.bytesAdded >= 0 ? '+' : ''}${s.bytesAdded}`,
  );
  term.out(`report: ${relative(term, path.join(outDir, 'index.html'))}`);
  return EXIT_OK;
}
