import { describe, expect, it } from 'vitest';
import { emptyLock, type LockEntry, type Lockfile } from '../lock/lockfile.js';
import type { ResolvedImage, ResolvedManifest } from '../manifest/resolved-manifest.js';
import { buildReview, wordDiff } from './build-review.js';
import { renderCard } from './render-card.js';
import { REVIEW_VERSION, type ReviewState } from './review-types.js';

const DIR = '/project';
const hex = (c: string) => c.repeat(64);

function image(id: string, over: Partial<ResolvedImage> = {}): ResolvedImage {
  return {
    id,
    prompt: `a picture of ${id}`,
    seed: 1,
    aspectRatio: '1:1',
    resolution: '1k',
    references: [],
    imageReferences: [],
    output: { format: 'webp', width: 100, fit: 'cover' },
    sourceFile: `${DIR}/pixlock.yaml`,
    ...over,
  };
}

function entry(
  id: string,
  over: { gen?: string; file?: string; bytes?: number; credits?: number; taskId?: string } = {},
): LockEntry {
  return {
    generation: hex(over.gen ?? 'a'),
    provider: 'kinovi',
    model: 'nanobanana2',
    seed: 1,
    taskId: over.taskId ?? `task-${id}`,
    credits: over.credits ?? 15,
    generatedAt: '2026-11-25T10:00:00.000Z',
    original: { sha256: hex('b'), mediaType: 'image/png', bytes: 1000, width: 1024, height: 1024 },
    output: {
      hash: hex('c'),
      files: [
        {
          path: `out/${id}.webp`,
          sha256: hex(over.file ?? 'd'),
          width: 100,
          height: 100,
          bytes: over.bytes ?? 500,
        },
      ],
    },
  };
}

function state(
  label: string,
  images: ResolvedImage[],
  entries: Record<string, LockEntry>,
): ReviewState {
  const manifest: Pick<ResolvedManifest, 'dir' | 'outDir' | 'provider' | 'images'> = {
    dir: DIR,
    outDir: 'out',
    provider: { name: 'kinovi', model: 'nanobanana2' },
    images,
  };
  const lock: Lockfile = { ...emptyLock(), images: entries };
  const previews = Object.fromEntries(
    Object.keys(entries).map((id) => [
      id,
      { src: `images/${id}.webp`, from: 'disk' as const, width: 100, height: 100 },
    ]),
  );
  return { label, manifest, lock, previews };
}

describe('buildReview', () => {
  it('sorts images into added, removed, changed and unchanged, changed ones first', () => {
    const base = state('HEAD', [image('kept'), image('gone'), image('edited')], {
      kept: entry('kept'),
      gone: entry('gone'),
      edited: entry('edited'),
    });
    const head = state(
      'working tree',
      [
        image('kept'),
        image('edited', { prompt: 'a picture of edited, at night', seed: 2 }),
        image('fresh'),
      ],
      {
        kept: entry('kept'),
        edited: entry('edited', { gen: 'e', file: 'f', bytes: 800, taskId: 'task-2', credits: 15 }),
        fresh: entry('fresh', { taskId: 'task-3', credits: 7.5 }),
      },
    );
    const review = buildReview(base, head);
    expect(review.version).toBe(REVIEW_VERSION);
    expect(review.images.map((i) => [i.id, i.status])).toEqual([
      ['edited', 'changed'],
      ['fresh', 'added'],
      ['gone', 'removed'],
      ['kept', 'unchanged'],
    ]);
    const edited = review.images[0]!;
    expect(edited.changes).toEqual(['prompt', 'seed', 'regenerated', 'output files']);
    expect(edited.head!.files[0]!.deltaBytes).toBe(300);
    expect(edited.creditsSpent).toBe(15);
    expect(review.summary).toEqual({
      added: 1,
      removed: 1,
      changed: 1,
      unchanged: 1,
      creditsSpent: 22.5,
      // head 500 + 800 + 500, base 500 * 3
      bytesAdded: 300,
      baseBytes: 1500,
      headBytes: 1800,
    });
    expect(review.images[3]!.creditsSpent).toBe(0);
  });

  it('counts an image as changed when only its output options changed, with no credits spent', () => {
    const base = state('HEAD', [image('a')], { a: entry('a') });
    const head = state(
      'wt',
      [image('a', { output: { format: 'webp', width: 64, fit: 'cover' } })],
      {
        a: entry('a', { file: 'e', bytes: 200 }),
      },
    );
    const [a] = buildReview(base, head).images;
    expect(a).toMatchObject({
      status: 'changed',
      changes: ['output options', 'output files'],
      creditsSpent: 0,
    });
    expect(a!.promptDiff).toBeUndefined();
    expect([a!.base!.output, a!.head!.output]).toEqual(['webp, width 100', 'webp, width 64']);
  });

  it('says "not generated" when the head has the image but no lock entry yet', () => {
    const base = state('HEAD', [image('a')], { a: entry('a') });
    const head = state('wt', [image('a', { prompt: 'new' })], {});
    const [a] = buildReview(base, head).images;
    expect(a!.changes).toContain('not generated');
    expect(a!.head).toMatchObject({ generated: false, files: [], bytes: 0 });
    expect(a!.head!.preview).toBeUndefined();
  });

  it('links a reference to the card of the image whose output it is', () => {
    const refImage = image('b', {
      references: ['out/a.webp', 'https://example.com/x.png', 'style.png'],
      sourceFile: `${DIR}/pixlock.yaml`,
    });
    const head = state('wt', [image('a'), refImage], { a: entry('a') });
    const review = buildReview(state('HEAD', [], {}), head);
    const b = review.images.find((i) => i.id === 'b')!;
    expect(b.head!.references).toEqual([
      { ref: 'out/a.webp', imageId: 'a' },
      { ref: 'https://example.com/x.png' },
      { ref: 'style.png' },
    ]);
  });

  it('treats a base with no manifest and no lock as empty: everything is added', () => {
    const base: ReviewState = {
      label: 'HEAD',
      manifest: undefined,
      lock: emptyLock(),
      previews: {},
    };
    const review = buildReview(base, state('wt', [image('a')], { a: entry('a') }));
    expect(review.summary).toMatchObject({ added: 1, changed: 0, bytesAdded: 500 });
  });
});

describe('wordDiff', () => {
  it('marks added and removed words and joins back to both prompts', () => {
    const parts = wordDiff('a paper plane at dusk', 'a red paper plane at dawn');
    expect(parts.filter((p) => p.op === 'added').map((p) => p.text.trim())).toEqual([
      'red',
      'dawn',
    ]);
    expect(parts.filter((p) => p.op === 'removed').map((p) => p.text.trim())).toEqual(['dusk']);
    const join = (skip: string) =>
      parts
        .filter((p) => p.op !== skip)
        .map((p) => p.text)
        .join('');
    expect(join('added')).toBe('a paper plane at dusk');
    expect(join('removed')).toBe('a red paper plane at dawn');
  });
});

describe('buildReview with variants', () => {
  it('lists the candidates of an image with variants, the chosen one marked, each with its pick command', () => {
    const cand = (n: number, sha: string) => ({
      seed: 100 + n,
      taskId: `task-${n}`,
      credits: 15,
      generatedAt: 'x',
      original: { sha256: hex(sha), mediaType: 'image/png', bytes: 9, width: 64, height: 48 },
    });
    const candidates = [cand(1, 'b'), cand(2, 'e'), cand(3, 'f')];
    const base = state('HEAD', [image('hero')], { hero: entry('hero', { taskId: 'task-1' }) });
    const h = entry('hero', { file: 'e' });
    const head = state('working tree', [image('hero', { variants: 3 })], {
      hero: { ...h, taskId: 'task-2', original: candidates[1]!.original, chosen: 2, candidates },
    });
    head.config = 'site images.yaml';
    head.candidatePreviews = {
      hero: [
        { src: 'images/b.png', from: 'original', width: 64, height: 48 },
        { src: 'images/e.png', from: 'original', width: 64, height: 48 },
        { missing: 'gone' },
      ],
    };
    const review = buildReview(base, head);
    const hero = review.images[0]!;
    expect(hero.head!.candidates!.map((c) => [c.number, c.chosen, c.seed, c.pick])).toEqual([
      [1, false, 101, "pixlock pick --config 'site images.yaml' hero 1"],
      [2, true, 102, "pixlock pick --config 'site images.yaml' hero 2"],
      [3, false, 103, "pixlock pick --config 'site images.yaml' hero 3"],
    ]);
    expect(hero.head!.candidates![2]!.preview).toEqual({ missing: 'gone' });
    expect(hero.changes).toContain('candidates');
    expect(hero.changes).toContain('chosen candidate');
    // Two new tasks paid for (task-2, task-3); task-1 was the base's own.
    expect(hero.creditsSpent).toBe(30);
    expect(hero.base!.candidates).toBeUndefined();
  });

  it("after a pick, the seed and details are the chosen candidate's, and the seed is not an edit", () => {
    const cand = (n: number) => ({
      seed: n === 1 ? 7 : 7 + n * 1000,
      taskId: `task-${n}`,
      credits: 10 + n,
      generatedAt: `2026-11-2${n}T00:00:00.000Z`,
      original: { sha256: hex(String(n)), mediaType: 'image/png', bytes: 9, width: 64, height: 48 },
    });
    const candidates = [cand(1), cand(2), cand(3)];
    const variant = (chosen: number, file: string): LockEntry => {
      const c = candidates[chosen - 1]!;
      return {
        ...entry('logo', { file }),
        seed: 7,
        taskId: c.taskId,
        credits: c.credits,
        generatedAt: c.generatedAt,
        original: c.original,
        ...(chosen !== 1 && { chosen }),
        candidates,
      };
    };
    const images = [image('logo', { seed: 7, variants: 3 })];
    const base = state('HEAD', images, { logo: variant(1, 'd') });
    const head = state('working tree', images, { logo: variant(3, 'e') });
    const logo = buildReview(base, head).images[0]!;
    expect([logo.base!.seed, logo.base!.chosen, logo.base!.taskId]).toEqual([7, 1, 'task-1']);
    expect([logo.head!.seed, logo.head!.chosen, logo.head!.taskId]).toEqual([3007, 3, 'task-3']);
    expect([logo.head!.credits, logo.head!.generatedAt]).toEqual([13, '2026-11-23T00:00:00.000Z']);
    expect(logo.changes).toEqual(['output files', 'chosen candidate']);
    const card = renderCard(logo);
    expect(card).toContain(
      '<tr class="differs"><th>seed</th><td>7 (candidate 1)</td><td>3007 (candidate 3)</td></tr>',
    );
  });
});

describe('buildReview of a cascade', () => {
  it('says which reference changed when an image is drawn again because of it', () => {
    const drawn = (gen: string, mia: string): LockEntry => ({
      ...entry('scene', { gen, file: gen }),
      references: { mia: hex(mia) },
    });
    const images = [image('mia'), image('scene', { imageReferences: ['mia'] })];
    const base = state('HEAD', images, { mia: entry('mia'), scene: drawn('a', '1') });
    const head = state('working tree', images, {
      mia: {
        ...entry('mia', { gen: 'e', file: 'e' }),
        original: { ...entry('mia').original, sha256: hex('2') },
      },
      scene: drawn('f', '2'),
    });
    const scene = buildReview(base, head).images.find((i) => i.id === 'scene')!;
    expect(scene.changes).toEqual(['regenerated', 'reference mia changed', 'output files']);
    expect(renderCard(scene)).toContain(
      'changed: regenerated, reference mia changed, output files',
    );
  });
});
