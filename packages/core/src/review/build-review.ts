import path from 'node:path';
import { diffWords } from 'diff';
import type { LockEntry } from '../lock/lockfile.js';
import type { OutputOptions, ResolvedImage } from '../manifest/resolved-manifest.js';
import { originalSize, outputFiles } from '../manifest/output-files.js';
import {
  REVIEW_VERSION,
  type DiffPart,
  type ImageSide,
  type Review,
  type ReviewCandidate,
  type ReviewImage,
  type ReviewReference,
  type ReviewState,
} from './review-types.js';

/**
 * What changed from `base` to `head`, image by image. Pure: both states are read (and their
 * images found) before; rendering and writing happen after.
 */
export function buildReview(base: ReviewState, head: ReviewState): Review {
  const ids = new Set([...stateIds(base), ...stateIds(head)]);
  const images: ReviewImage[] = [...ids].sort().map((id) => reviewImage(id, base, head));
  const count = (s: ReviewImage['status']) => images.filter((i) => i.status === s).length;
  const baseBytes = sum(images.map((i) => i.base?.bytes ?? 0));
  const headBytes = sum(images.map((i) => i.head?.bytes ?? 0));
  const rank = (i: ReviewImage) => (i.status === 'unchanged' ? 1 : 0);
  return {
    version: REVIEW_VERSION,
    base: base.label,
    head: head.label,
    summary: {
      added: count('added'),
      removed: count('removed'),
      changed: count('changed'),
      unchanged: count('unchanged'),
      creditsSpent: round(sum(images.map((i) => i.creditsSpent))),
      bytesAdded: headBytes - baseBytes,
      baseBytes,
      headBytes,
    },
    // A stable sort: ids stay in order within each group.
    images: images.sort((a, b) => rank(a) - rank(b)),
  };
}

function stateIds(state: ReviewState): string[] {
  return [...(state.manifest?.images.map((i) => i.id) ?? []), ...Object.keys(state.lock.images)];
}

function reviewImage(id: string, base: ReviewState, head: ReviewState): ReviewImage {
  const b = side(id, base);
  const h = side(id, head);
  const entryB = base.lock.images[id];
  const entryH = head.lock.images[id];
  const creditsSpent = spent(entryB, entryH);
  if (h) {
    for (const f of h.files) {
      const old = b?.files.find((x) => x.path === f.path);
      if (old) f.deltaBytes = f.bytes - old.bytes;
    }
  }
  const image: ReviewImage = {
    id,
    status: !b ? 'added' : !h ? 'removed' : 'unchanged',
    changes: [],
    ...(b && { base: b }),
    ...(h && { head: h }),
    creditsSpent,
  };
  if (b && h) {
    image.changes = changes(b, h, find(base, id), find(head, id), entryB, entryH);
    if (image.changes.length > 0) image.status = 'changed';
    if (b.prompt !== undefined && h.prompt !== undefined && b.prompt !== h.prompt)
      image.promptDiff = wordDiff(b.prompt, h.prompt);
  }
  return image;
}

const find = (state: ReviewState, id: string) => state.manifest?.images.find((i) => i.id === id);

/** One side of an image, or undefined when neither the manifest nor the lock has it. */
function side(id: string, state: ReviewState): ImageSide | undefined {
  const image = find(state, id);
  const entry = state.lock.images[id];
  if (!image && !entry) return undefined;
  // With variants the outputs (and the entry's task, credits and time) are the chosen
  // candidate's; so is the seed shown. The entry's own `seed` stays the image's (candidate 1's),
  // and a manifest whose seed moved on since is shown as it now stands.
  const chosen = entry?.candidates?.[(entry.chosen ?? 1) - 1];
  const imageSeed = image?.seed ?? entry?.seed;
  const seed = chosen && imageSeed === entry?.seed ? chosen.seed : imageSeed;
  const provider = entry?.provider ?? state.manifest?.provider.name;
  const model = entry?.model ?? state.manifest?.provider.model;
  const files = (entry?.output.files ?? []).map((f) => ({
    path: f.path,
    width: f.width,
    height: f.height,
    bytes: f.bytes,
  }));
  const preview = entry ? state.previews[id] : undefined;
  const candidates =
    entry && state.candidatePreviews?.[id] ? reviewCandidates(id, entry, state) : undefined;
  return {
    ...(image && { prompt: image.prompt }),
    ...(image?.negativePrompt !== undefined && { negativePrompt: image.negativePrompt }),
    ...(seed !== undefined && { seed }),
    ...(chosen && { chosen: entry!.chosen ?? 1 }),
    ...(provider !== undefined && { provider }),
    ...(model !== undefined && { model }),
    ...(image && { aspectRatio: image.aspectRatio, resolution: image.resolution }),
    references: image ? references(image, state) : [],
    ...(image && { output: describeOutput(image.output) }),
    generated: entry !== undefined,
    ...(entry && {
      credits: entry.credits,
      taskId: entry.taskId,
      generatedAt: entry.generatedAt,
    }),
    files,
    bytes: sum(files.map((f) => f.bytes)),
    ...(preview && { preview }),
    ...(candidates && { candidates }),
  };
}

/** The candidates of an image with `variants`, each with the command that chooses it. */
function reviewCandidates(id: string, entry: LockEntry, state: ReviewState): ReviewCandidate[] {
  const previews = state.candidatePreviews?.[id] ?? [];
  const config =
    state.config && state.config !== 'pixlock.yaml' ? ` --config ${shellWord(state.config)}` : '';
  return (entry.candidates ?? []).map((c, i) => ({
    number: i + 1,
    seed: c.seed,
    chosen: i + 1 === (entry.chosen ?? 1),
    credits: c.credits,
    taskId: c.taskId,
    ...(previews[i] && { preview: previews[i] }),
    pick: `pixlock pick${config} ${id} ${i + 1}`,
  }));
}

/** A file name as one shell word: bare when it is plain, else single-quoted. */
function shellWord(s: string): string {
  return /^[A-Za-z0-9._/-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Credits of the tasks the head has and the base did not (every candidate's). */
function spent(entryB: LockEntry | undefined, entryH: LockEntry | undefined): number {
  if (!entryH) return 0;
  const tasks = (e: LockEntry) => e.candidates ?? [{ taskId: e.taskId, credits: e.credits }];
  const old = new Set(entryB ? tasks(entryB).map((t) => t.taskId) : []);
  return round(
    sum(
      tasks(entryH)
        .filter((t) => !old.has(t.taskId))
        .map((t) => t.credits),
    ),
  );
}

/** References, each linked to the image that makes the file it names, if one does. */
function references(image: ResolvedImage, state: ReviewState): ReviewReference[] {
  const manifest = state.manifest!;
  const owners = new Map<string, string>();
  for (const other of manifest.images) {
    const original = originalSize(other.aspectRatio, other.resolution);
    for (const f of outputFiles(manifest.outDir, other.id, other.output, original))
      owners.set(f.path, other.id);
  }
  for (const [id, entry] of Object.entries(state.lock.images)) {
    for (const f of entry.output.files) if (!owners.has(f.path)) owners.set(f.path, id);
  }
  const drawnFrom: ReviewReference[] = image.imageReferences.map((id) => ({
    ref: `{ image: ${id} }`,
    imageId: id,
  }));
  const files = image.references.map((ref): ReviewReference => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) return { ref };
    const abs = path.resolve(path.dirname(image.sourceFile), ref);
    const rel = path.relative(manifest.dir, abs).split(path.sep).join('/');
    const owner = owners.get(rel);
    return owner === undefined ? { ref } : { ref, imageId: owner };
  });
  return [...drawnFrom, ...files];
}

/** The names of what differs between two sides of one image. */
function changes(
  b: ImageSide,
  h: ImageSide,
  imageB: ResolvedImage | undefined,
  imageH: ResolvedImage | undefined,
  entryB: LockEntry | undefined,
  entryH: LockEntry | undefined,
): string[] {
  const out: string[] = [];
  const differ = (name: string, x: unknown, y: unknown) => {
    if (JSON.stringify(x) !== JSON.stringify(y)) out.push(name);
  };
  differ('prompt', b.prompt, h.prompt);
  differ('negative prompt', b.negativePrompt, h.negativePrompt);
  // The image's seed as written or pinned: a pick changes the seed shown, not this.
  differ('seed', imageB?.seed ?? entryB?.seed, imageH?.seed ?? entryH?.seed);
  differ('model', [b.provider, b.model], [h.provider, h.model]);
  differ('aspect ratio', b.aspectRatio, h.aspectRatio);
  differ('resolution', b.resolution, h.resolution);
  differ('references', b.references, h.references);
  differ('output options', imageB?.output, imageH?.output);
  if (entryB && entryH && entryB.generation !== entryH.generation) {
    out.push('regenerated');
    // Why, when an image it is drawn from has a new original: a cascade, not an edit here.
    const before = entryB.references ?? {};
    const after = entryH.references ?? {};
    for (const id of Object.keys(after).sort())
      if (before[id] !== undefined && before[id] !== after[id]) out.push(`reference ${id} changed`);
  }
  differ(
    'output files',
    entryB?.output.files.map((f) => [f.path, f.sha256]),
    entryH?.output.files.map((f) => [f.path, f.sha256]),
  );
  if (entryB && entryH && entryB.generation === entryH.generation) {
    differ(
      'candidates',
      entryB.candidates?.map((c) => c.taskId),
      entryH.candidates?.map((c) => c.taskId),
    );
    if (entryB.original.sha256 !== entryH.original.sha256) out.push('chosen candidate');
  }
  if (entryB && !entryH) out.push('not generated');
  return out;
}

/** `webp q80, width 800`, `jpeg q85, 1200×630 cover`, `avif, widths 640, 1280`. */
function describeOutput(o: OutputOptions): string {
  const size =
    o.width !== undefined && o.height !== undefined
      ? `${o.width}×${o.height} ${o.fit}`
      : o.width !== undefined
        ? `width ${o.width}`
        : o.height !== undefined
          ? `height ${o.height}`
          : undefined;
  return [
    `${(o.formats ?? [o.format]).join('+')}${o.quality === undefined ? '' : ` q${o.quality}`}`,
    size,
    o.widths && `widths ${o.widths.join(', ')}`,
  ]
    .filter(Boolean)
    .join(', ');
}

/** Word-level diff (jsdiff keeps the spaces with the words, so the parts join back exactly). */
export function wordDiff(before: string, after: string): DiffPart[] {
  return diffWords(before, after).map((c) => ({
    op: c.added ? 'added' : c.removed ? 'removed' : 'same',
    text: c.value,
  }));
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

/** Credits are decimal: keep sums free of binary noise (0.1 + 0.2). */
function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
