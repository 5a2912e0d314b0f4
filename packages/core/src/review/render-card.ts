import { escapeHtml as e } from './escape-html.js';
import { formatBytes, formatDelta } from './format-bytes.js';
import type {
  ImageSide,
  Preview,
  ReviewCandidate,
  ReviewImage,
  ReviewReference,
} from './review-types.js';
import { plural } from '../util/plural.js';

const FROM: Record<string, string> = {
  disk: 'output file on disk',
  git: 'output file from git',
  original: 'kept original, before output processing',
};

/** The HTML of one image's card. Every string from the project is escaped. */
export function renderCard(image: ReviewImage): string {
  const { base, head } = image;
  const changes =
    image.changes.length > 0
      ? `<p class="changes">changed: ${e(image.changes.join(', '))}</p>`
      : '';
  return `<section class="card status-${image.status}" id="${e(anchor(image.id))}">
<h2><a href="#${e(anchor(image.id))}">${e(image.id)}</a><span class="badge">${image.status}</span></h2>
${changes}${image.status === 'unchanged' ? '' : renderImages(base, head) + renderCandidates(head)}
${renderPrompt(image)}
${renderFacts(image)}
${renderFiles(base, head)}
</section>`;
}

/** The element id of an image's card. */
export function anchor(id: string): string {
  return `image-${id}`;
}

function renderImages(base: ImageSide | undefined, head: ImageSide | undefined): string {
  const b = base?.preview;
  const h = head?.preview;
  const shown = (p: Preview | undefined) => (p && 'src' in p ? p : undefined);
  // Both sides in frames of one shape (the head's, else the base's): same size, side by side.
  const shape = shown(h) ?? shown(b);
  const ratio = shape ? `${shape.width} / ${shape.height}` : '4 / 3';
  const figure = (label: string, side: ImageSide | undefined, cls: string) => {
    if (!side) return '';
    const p = side.preview;
    const body =
      p && 'src' in p
        ? `<img class="${cls}" src="${e(p.src)}" width="${p.width}" height="${p.height}" alt="${label}">`
        : `<p>${e(p ? p.missing : side.generated ? 'not shown' : 'not generated yet')}</p>`;
    const caption = p && 'src' in p ? `${label} · ${FROM[p.from]} · ${p.width}×${p.height}` : label;
    return `<figure><div class="frame${p && 'src' in p ? '' : ' missing'}" style="aspect-ratio: ${ratio}">${body}</div><figcaption>${e(caption)}</figcaption></figure>`;
  };
  const figures = `${figure('before', base, 'before')}${figure('after', head, 'after')}`;
  const sb = shown(b);
  const sh = shown(h);
  if (!sb || !sh) return `<div class="visuals">${figures}</div>`;
  // The third column lays the two over each other: the slider wipes from one to the other.
  return `<div class="visuals" data-compare>${figures}<figure>
<div class="overlay frame" style="aspect-ratio: ${ratio}"><img class="before" src="${e(sb.src)}" alt="before"><img class="after" src="${e(sh.src)}" alt="after"></div>
<div class="controls"><span>before</span><input type="range" min="0" max="100" value="50" aria-label="before ← → after"><span>after</span><button type="button" data-toggle>show after</button></div></figure></div>`;
}

function renderPrompt(image: ReviewImage): string {
  if (image.promptDiff) {
    const parts = image.promptDiff
      .map((p) =>
        p.op === 'added'
          ? `<ins>${e(p.text)}</ins>`
          : p.op === 'removed'
            ? `<del>${e(p.text)}</del>`
            : e(p.text),
      )
      .join('');
    return `<p class="prompt"><strong>prompt</strong>: ${parts}</p>`;
  }
  const prompt = image.head?.prompt ?? image.base?.prompt;
  return prompt === undefined ? '' : `<p class="prompt"><strong>prompt</strong>: ${e(prompt)}</p>`;
}

function renderFacts(image: ReviewImage): string {
  const { base, head } = image;
  const rows: [string, (s: ImageSide) => string][] = [
    ['negative prompt', (s) => e(s.negativePrompt ?? '')],
    [
      'seed',
      (s) =>
        e(s.seed === undefined ? '' : `${s.seed}${s.chosen ? ` (candidate ${s.chosen})` : ''}`),
    ],
    ['model', (s) => e([s.provider, s.model].filter(Boolean).join(' / '))],
    ['aspect ratio', (s) => e(s.aspectRatio ?? '')],
    ['resolution', (s) => e(s.resolution ?? '')],
    ['references', (s) => s.references.map(renderReference).join('<br>')],
    ['output', (s) => e(s.output ?? '')],
    ['credits', (s) => (s.credits === undefined ? 'not generated' : e(s.credits))],
    ['generated', (s) => e(s.generatedAt ?? '')],
  ];
  const cols = [base && 'before', head && 'after'].filter(Boolean) as string[];
  const cells = (f: (s: ImageSide) => string) =>
    [base, head]
      .filter((s): s is ImageSide => s !== undefined)
      .map((s) => `<td>${f(s)}</td>`)
      .join('');
  const body = rows
    .filter(([, f]) => [base, head].some((s) => s && f(s) !== ''))
    .map(([name, f]) => {
      const differs = base && head && f(base) !== f(head);
      return `<tr${differs ? ' class="differs"' : ''}><th>${name}</th>${cells(f)}</tr>`;
    })
    .join('');
  const spent =
    image.creditsSpent > 0
      ? `<tr><th>credits spent</th><td colspan="${cols.length}">${e(image.creditsSpent)}</td></tr>`
      : '';
  return `<table class="facts"><thead><tr><th></th>${cols.map((c) => `<th>${c}</th>`).join('')}</tr></thead><tbody>${body}${spent}</tbody></table>`;
}

function renderReference(r: ReviewReference): string {
  return r.imageId === undefined
    ? `<code>${e(r.ref)}</code>`
    : `<a href="#${e(anchor(r.imageId))}"><code>${e(r.ref)}</code></a>`;
}

function renderFiles(base: ImageSide | undefined, head: ImageSide | undefined): string {
  const rows: string[] = [];
  for (const f of head?.files ?? []) {
    const delta = f.deltaBytes === undefined ? 'new' : formatDelta(f.deltaBytes);
    const cls = (f.deltaBytes ?? f.bytes) > 0 ? 'plus' : (f.deltaBytes ?? 0) < 0 ? 'minus' : '';
    rows.push(row('after', f.path, `${f.width}×${f.height}`, formatBytes(f.bytes), delta, cls));
  }
  for (const f of base?.files ?? []) {
    if (head?.files.some((x) => x.path === f.path)) continue;
    rows.push(
      row(
        'before',
        f.path,
        `${f.width}×${f.height}`,
        formatBytes(f.bytes),
        head ? 'gone' : 'removed',
        'minus',
      ),
    );
  }
  if (rows.length === 0) return '';
  return `<table class="files"><thead><tr><th></th><th>output file</th><th>size</th><th>bytes</th><th>change</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function row(
  side: string,
  file: string,
  size: string,
  bytes: string,
  delta: string,
  cls: string,
): string {
  return `<tr><td>${side}</td><td><code>${e(file)}</code></td><td>${size}</td><td class="num">${bytes}</td><td class="num ${cls}">${e(delta)}</td></tr>`;
}

/**
 * The candidates of an image with `variants` as a grid, the chosen one marked, each with the
 * `pixlock pick` command that chooses it (selected whole on a click, or copied by its button).
 */
function renderCandidates(head: ImageSide | undefined): string {
  const candidates = head?.candidates;
  if (!candidates || candidates.length < 2) return '';
  const item = (c: ReviewCandidate) => {
    const p = c.preview;
    const body =
      p && 'src' in p
        ? `<img src="${e(p.src)}" width="${p.width}" height="${p.height}" alt="candidate ${c.number}">`
        : `<p>${e(p ? p.missing : 'not shown')}</p>`;
    const ratio = p && 'src' in p ? `${p.width} / ${p.height}` : '1 / 1';
    const mark = c.chosen ? ' <span class="chosen-mark">chosen</span>' : '';
    return `<li class="candidate${c.chosen ? ' chosen' : ''}" data-candidate="${c.number}"><figure><div class="frame${p && 'src' in p ? '' : ' missing'}" style="aspect-ratio: ${ratio}">${body}</div><figcaption><b>${c.number}</b> · seed ${e(c.seed)}${mark}</figcaption></figure><div class="pick"><code>${e(c.pick)}</code><button type="button" data-copy>copy</button></div></li>`;
  };
  return `<div class="candidates"><h3>${plural(candidates.length, 'candidate')}</h3><ol class="candidate-grid">${candidates.map(item).join('')}</ol></div>`;
}
