import { createHash } from 'node:crypto';
import { escapeHtml as e } from './escape-html.js';
import { formatDelta } from './format-bytes.js';
import { renderCard } from './render-card.js';
import { REVIEW_SCRIPT } from './review-script.js';
import { REVIEW_STYLE } from './review-style.js';
import type { Review } from './review-types.js';
import { plural } from '../util/plural.js';

/**
 * The report's `index.html`: one self-contained page (CSS and script inline, images by relative
 * path beside it), so it opens from `file://` and as a CI artifact. Pure.
 *
 * Defence in depth on top of escaping: the Content-Security-Policy runs only the one script whose
 * hash it names and loads nothing from anywhere but the report's own folder.
 */
export function renderReviewHtml(review: Review): string {
  const scriptHash = createHash('sha256').update(REVIEW_SCRIPT).digest('base64');
  const csp = `default-src 'none'; img-src 'self' file:; style-src 'unsafe-inline'; script-src 'sha256-${scriptHash}'`;
  const s = review.summary;
  const shownFirst = review.images.filter((i) => i.status !== 'unchanged');
  const unchanged = review.images.filter((i) => i.status === 'unchanged');
  const folded =
    unchanged.length === 0
      ? ''
      : `<details class="unchanged"><summary>${plural(unchanged.length, 'unchanged image')}</summary>
${unchanged.map(renderCard).join('\n')}
</details>`;
  const nothing = shownFirst.length === 0 ? '<p>Nothing changed.</p>' : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>pixlock review: ${e(review.base)} → ${e(review.head)}</title>
<style>${REVIEW_STYLE}</style>
</head>
<body>
<header>
<h1>pixlock review</h1>
<p class="range">from <code>${e(review.base)}</code> to <code>${e(review.head)}</code></p>
<ul class="summary" id="summary">
<li><b>${s.changed}</b> changed</li>
<li><b>${s.added}</b> added</li>
<li><b>${s.removed}</b> removed</li>
<li><b>${s.unchanged}</b> unchanged</li>
<li><b>${e(s.creditsSpent)}</b> ${s.creditsSpent === 1 ? 'credit' : 'credits'} spent</li>
<li><b>${e(formatDelta(s.bytesAdded))}</b> output bytes</li>
</ul>
</header>
<main>
${nothing}${shownFirst.map(renderCard).join('\n')}
${folded}
</main>
<script>${REVIEW_SCRIPT}</script>
</body>
</html>
`;
}
