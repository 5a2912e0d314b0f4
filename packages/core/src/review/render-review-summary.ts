import { formatDelta } from './format-bytes.js';
import type { Review } from './review-types.js';
import { plural } from '../util/plural.js';

/**
 * The summary as Markdown, for a pull request comment: counts, credits, bytes and the changed
 * ids. Ids and refs are shown as code, with backticks removed so none can break out of it.
 */
export function renderReviewSummary(review: Review): string {
  const s = review.summary;
  const code = (t: string) => `\`${t.replace(/[`\r\n]/g, '')}\``;
  const lines = [
    `### pixlock review: ${code(review.base)} → ${code(review.head)}`,
    '',
    `${s.changed} changed, ${s.added} added, ${s.removed} removed, ${s.unchanged} unchanged · ` +
      `${plural(s.creditsSpent, 'credit')} spent · output bytes ${formatDelta(s.bytesAdded)}`,
  ];
  const listed = review.images.filter((i) => i.status !== 'unchanged');
  if (listed.length > 0) lines.push('');
  for (const i of listed.slice(0, 50)) {
    const what = i.changes.length > 0 ? `: ${i.changes.join(', ')}` : '';
    lines.push(`- ${code(i.id)} ${i.status}${what}`);
  }
  if (listed.length > 50) lines.push(`- … and ${listed.length - 50} more`);
  return lines.join('\n') + '\n';
}
