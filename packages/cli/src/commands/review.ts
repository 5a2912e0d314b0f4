import path from 'node:path';
import { reviewProject, type Review } from '@pixlock/core';
import { plural } from '@pixlock/core/light';
import { EXIT_OK } from '../exit-codes.js';
import { JSON_VERSION, type JsonDocumentBase } from '../output/json-documents.js';
import { relative, type Terminal } from '../output/terminal.js';

/** `pixlock review --json`: the CLI's common fields, and the review itself (as `review.json`). */
export interface ReviewDocument extends JsonDocumentBase {
  command: 'review';
  counts: Pick<Review['summary'], 'changed' | 'added' | 'removed' | 'unchanged'>;
  /** The report's `index.html`. */
  report: string;
  review: Review;
}

/**
 * `pixlock review`: a static HTML report of what changed since `--base` (default HEAD), written
 * to a folder. `--json` prints the same content on stdout. Calls no provider.
 */
export async function reviewCommand(
  term: Terminal,
  opts: { config: string; json: boolean; base?: string; out?: string },
): Promise<number> {
  const { review, outDir } = await reviewProject(path.resolve(term.cwd, opts.config), {
    env: term.env,
    ...(opts.base !== undefined && { base: opts.base }),
    ...(opts.out !== undefined && { out: path.resolve(term.cwd, opts.out) }),
  });
  const report = path.join(outDir, 'index.html');
  const s = review.summary;
  if (opts.json) {
    const { changed, added, removed, unchanged } = s;
    const doc: ReviewDocument = {
      version: JSON_VERSION,
      command: 'review',
      ok: true,
      counts: { changed, added, removed, unchanged },
      report,
      review,
    };
    term.out(JSON.stringify(doc, null, 2));
    return EXIT_OK;
  }
  term.out(
    `review ${review.base} → ${review.head}: ${s.changed} changed, ${s.added} added, ${s.removed} removed, ${s.unchanged} unchanged; ${plural(s.creditsSpent, 'credit')} spent; output bytes ${s.bytesAdded >= 0 ? '+' : ''}${s.bytesAdded}`,
  );
  term.out(`report: ${relative(term, report)}`);
  return EXIT_OK;
}
