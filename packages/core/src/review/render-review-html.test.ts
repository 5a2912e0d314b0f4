import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { escapeHtml } from './escape-html.js';
import { renderReviewHtml } from './render-review-html.js';
import { renderReviewSummary } from './render-review-summary.js';
import { REVIEW_SCRIPT } from './review-script.js';
import { REVIEW_VERSION, type ImageSide, type Review } from './review-types.js';

const EVIL = `</p></code><script>alert(1)</script><img src=x onerror="alert(2)">'"&`;

function side(over: Partial<ImageSide> = {}): ImageSide {
  return {
    prompt: EVIL,
    negativePrompt: EVIL,
    seed: 1,
    provider: EVIL,
    model: EVIL,
    aspectRatio: '1:1',
    resolution: '1k',
    references: [{ ref: EVIL }, { ref: `${EVIL}.png`, imageId: EVIL }],
    generated: true,
    credits: 15,
    taskId: EVIL,
    generatedAt: EVIL,
    files: [{ path: `out/${EVIL}.webp`, width: 10, height: 10, bytes: 100, deltaBytes: -5 }],
    bytes: 100,
    preview: { src: `images/${EVIL}`, from: 'disk', width: 10, height: 10 },
    ...over,
  };
}

function review(): Review {
  return {
    version: REVIEW_VERSION,
    base: EVIL,
    head: 'working tree',
    summary: {
      added: 1,
      removed: 0,
      changed: 1,
      unchanged: 1,
      creditsSpent: 15,
      bytesAdded: 100,
      baseBytes: 0,
      headBytes: 100,
    },
    images: [
      {
        id: EVIL,
        status: 'changed',
        changes: [EVIL],
        promptDiff: [
          { op: 'same', text: EVIL },
          { op: 'added', text: EVIL },
          { op: 'removed', text: EVIL },
        ],
        base: side(),
        head: side({
          seed: 2,
          candidates: [1, 2].map((n) => ({
            number: n,
            seed: n,
            chosen: n === 2,
            credits: 15,
            taskId: EVIL,
            preview: { src: `images/${EVIL}`, from: 'original' as const, width: 10, height: 10 },
            pick: `pixlock pick ${EVIL} ${n}`,
          })),
        }),
        creditsSpent: 15,
      },
      {
        id: 'new',
        status: 'added',
        changes: [],
        head: side({ preview: { missing: EVIL } }),
        creditsSpent: 0,
      },
      { id: 'same', status: 'unchanged', changes: [], base: side(), head: side(), creditsSpent: 0 },
    ],
  };
}

describe('escapeHtml', () => {
  it('escapes the five characters that can end text or an attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});

describe('renderReviewHtml', () => {
  const html = renderReviewHtml(review());

  it('never lets a project string become markup: one script, the report’s own', () => {
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('onerror="');
    expect(html).not.toContain('alert(1)</script>');
    // Every place the hostile text lands, it lands escaped.
    expect(html).toContain(escapeHtml(EVIL));
    // Attributes too: no quote from the project closes one.
    for (const attr of html.matchAll(/ (?:src|href|id|alt)="([^"]*)"/g)) {
      expect(attr[1]).not.toMatch(/[<>]/);
    }
  });

  it('allows by its CSP only the script it inlines, and nothing from the network', () => {
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!;
    const hash = createHash('sha256').update(REVIEW_SCRIPT).digest('base64');
    expect(csp).toContain(`script-src 'sha256-${hash}'`);
    expect(csp).toContain("default-src 'none'");
    expect(html).toContain(`<script>${REVIEW_SCRIPT}</script>`);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('folds unchanged images away and shows the summary at the top', () => {
    const folded = html.slice(html.indexOf('<details class="unchanged">'));
    expect(folded).toContain('<summary>1 unchanged image</summary>');
    expect(folded).toContain('id="image-same"');
    expect(html.indexOf('id="summary"')).toBeLessThan(html.indexOf('<section'));
    expect(html).toContain('<b>15</b> credits spent');
    expect(html).toContain('−5 B');
    // Facts that differ between the sides stand out; the same ones do not.
    expect(html).toMatch(/<tr class="differs"><th>seed<\/th><td>1<\/td><td>2<\/td>/);
    expect(html).toMatch(/<tr><th>resolution<\/th>/);
    // A compare control only where both sides have a picture, and none for unchanged images.
    expect(html.match(/<div class="visuals" data-compare>/g)).toHaveLength(1);
    expect(folded).not.toContain('<img');
  });
});

describe('the candidates grid', () => {
  const html = renderReviewHtml(review());
  it('shows every candidate, marks the chosen one, and gives each its pick command, escaped', () => {
    const grid = /<ol class="candidate-grid">(.*?)<\/ol>/s.exec(html)![1]!;
    expect(grid.match(/<li class="candidate[^"]*"/g)).toEqual([
      '<li class="candidate"',
      '<li class="candidate chosen"',
    ]);
    expect(grid.match(/class="chosen-mark"/g)).toHaveLength(1);
    expect(grid).toContain(`<code>pixlock pick ${escapeHtml(EVIL)} 2</code>`);
    expect(grid.match(/<button type="button" data-copy>/g)).toHaveLength(2);
    expect(grid).not.toContain('<script');
  });
});

describe('renderReviewSummary', () => {
  it('keeps ids and refs inside their code spans', () => {
    const md = renderReviewSummary({ ...review(), base: 'x`y\n# heading' });
    expect(md).toContain('`xy# heading`');
    expect(md.split('\n').filter((l) => l.startsWith('#'))).toHaveLength(1);
    expect(md).toContain('1 changed, 1 added, 0 removed, 1 unchanged');
  });
});
