import { describe, expect, it } from 'vitest';
import { emptyLock, type LockEntry, type Lockfile } from '../lock/lockfile.js';
import type { ResolvedImage, ResolvedManifest } from '../manifest/resolved-manifest.js';
import { generationHash, generationInputs, outputHash } from './hashes.js';
import { outputFiles } from '../manifest/output-files.js';
import { plan, type Observed, type PlanEntry } from './plan.js';

function image(id: string, refs: string[] = [], over: Partial<ResolvedImage> = {}): ResolvedImage {
  return {
    id,
    prompt: `prompt of ${id}`,
    seed: 1,
    aspectRatio: '1:1',
    resolution: '2k',
    references: [],
    imageReferences: refs,
    output: { format: 'webp', fit: 'cover' },
    sourceFile: '/p/pixlock.yaml',
    ...over,
  };
}

function manifest(images: ResolvedImage[]): ResolvedManifest {
  return {
    file: '/p/pixlock.yaml',
    dir: '/p',
    outDir: 'generated',
    provider: { name: 'kinovi', model: 'nanobanana2' },
    concurrency: 4,
    images: [...images].sort((a, b) => (a.id < b.id ? -1 : 1)),
    files: [],
  };
}

/**
 * A lock where every image is up to date, each drawn from its references' locked originals,
 * as a finished run leaves it. `original` gives each image's original sha (default o-<id>).
 */
function lockAll(m: ResolvedManifest, original: (id: string) => string = (id) => hex(id)) {
  const lock: Lockfile = emptyLock();
  const files = new Map<string, string | null>();
  const originals = new Set<string>();
  for (const img of m.images) {
    const out = outputFiles(m.outDir, img.id, img.output).map((f) => ({
      path: f.path,
      sha256: hex(`${img.id}-out`),
      width: 1,
      height: 1,
      bytes: 1,
    }));
    const refs = Object.fromEntries(img.imageReferences.map((up) => [up, original(up)]));
    const entry: LockEntry = {
      generation: generationHash(
        generationInputs(
          img,
          m.provider,
          1,
          () => undefined,
          (up) => original(up),
        ),
      ),
      provider: 'kinovi',
      model: 'nanobanana2',
      seed: 1,
      taskId: 't',
      credits: 15,
      generatedAt: 'x',
      original: { sha256: original(img.id), mediaType: 'image/png', bytes: 1, width: 1, height: 1 },
      ...(img.imageReferences.length > 0 && { references: refs }),
      output: { hash: outputHash(img.output), files: out },
    };
    lock.images[img.id] = entry;
    for (const f of out) files.set(f.path, f.sha256);
    originals.add(entry.original.sha256);
  }
  const observed: Observed = { files, originals, references: new Map() };
  return { lock, observed };
}

function hex(s: string): string {
  let h = 0;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h.toString(16).padStart(8, '0').repeat(8);
}

const byId = (entries: PlanEntry[]) => Object.fromEntries(entries.map((e) => [e.id, e]));

// characters/mia ← scenes/park ← banners/park-wide; products/mug independent of mia;
// scenes/shop uses both.
const images = () => [
  image('characters/mia'),
  image('products/mug'),
  image('scenes/park', ['characters/mia']),
  image('scenes/shop', ['characters/mia', 'products/mug']),
  image('banners/park-wide', ['scenes/park']),
  image('standalone'),
];

describe('plan over image references', () => {
  it('is unchanged when nothing changed, and shows references and depth', () => {
    const m = manifest(images());
    const { lock, observed } = lockAll(m);
    const p = plan(m, lock, observed);
    expect(p.entries.every((e) => e.action === 'unchanged')).toBe(true);
    const e = byId(p.entries);
    expect(e['banners/park-wide']).toMatchObject({ references: ['scenes/park'], depth: 2 });
    expect(e['scenes/shop']).toMatchObject({
      references: ['characters/mia', 'products/mug'],
      depth: 1,
    });
    expect(e['characters/mia']!.depth).toBe(0);
    expect(e['characters/mia']!.references).toBeUndefined();
    expect(p.entries.map((x) => x.id)).toEqual([...p.entries.map((x) => x.id)].sort());
  });

  it('a prompt edit upstream regenerates exactly what is downstream, transitively, and counts it', () => {
    const before = manifest(images());
    const { lock, observed } = lockAll(before);
    const after = manifest(
      images().map((i) => (i.id === 'characters/mia' ? { ...i, prompt: 'mia, red coat' } : i)),
    );
    const p = plan(after, lock, observed);
    const e = byId(p.entries);
    expect(e['characters/mia']!.action).toBe('regenerate');
    for (const id of ['scenes/park', 'scenes/shop', 'banners/park-wide']) {
      expect(e[id]!.action).toBe('regenerate');
      expect(e[id]!.generation).toBeUndefined();
    }
    expect(e['scenes/park']!.reason).toBe('reference characters/mia regenerated');
    expect(e['scenes/park']!.waitsFor).toEqual(['characters/mia']);
    expect(e['banners/park-wide']!.reason).toBe('reference scenes/park regenerated');
    expect(e['products/mug']!.action).toBe('unchanged');
    expect(e['standalone']!.action).toBe('unchanged');
    expect(p.credits).toBe(4 * 15);
  });

  it('an edit in the middle of a chain regenerates only below it', () => {
    const before = manifest(images());
    const { lock, observed } = lockAll(before);
    const after = manifest(
      images().map((i) => (i.id === 'scenes/park' ? { ...i, prompt: 'at dusk' } : i)),
    );
    const e = byId(plan(after, lock, observed).entries);
    expect(e['scenes/park']!.action).toBe('regenerate');
    expect(e['banners/park-wide']!.action).toBe('regenerate');
    for (const id of ['characters/mia', 'products/mug', 'scenes/shop', 'standalone'])
      expect(e[id]!.action).toBe('unchanged');
  });

  it('an output-only change upstream reprocesses it and cascades nothing', () => {
    const before = manifest(images());
    const { lock, observed } = lockAll(before);
    const after = manifest(
      images().map((i) =>
        i.id === 'characters/mia'
          ? { ...i, output: { format: 'png' as const, widths: [320, 640], fit: 'cover' as const } }
          : i,
      ),
    );
    const e = byId(plan(after, lock, observed).entries);
    expect(e['characters/mia']!.action).toBe('reprocess');
    for (const id of ['scenes/park', 'scenes/shop', 'banners/park-wide'])
      expect(e[id]!.action).toBe('unchanged');
  });

  it('the hash follows the referenced original, not its id or prompt', () => {
    const m = manifest(images());
    const { lock, observed } = lockAll(m);
    // The upstream's original in the lock differs from the one the downstream was drawn from
    // (an earlier --only run regenerated it): the downstream is stale, and says why.
    lock.images['characters/mia']!.original.sha256 = hex('a new mia');
    (observed.originals as Set<string>).add(hex('a new mia'));
    const e = byId(plan(m, lock, observed).entries);
    expect(e['characters/mia']!.action).toBe('unchanged');
    expect(e['scenes/park']).toMatchObject({
      action: 'regenerate',
      reason:
        'reference characters/mia changed (its original differs from the one this image was drawn from)',
    });
    expect(e['scenes/park']!.generation).toMatch(/^[0-9a-f]{64}$/);
    expect(e['scenes/shop']!.action).toBe('regenerate');
    // Transitively: park will be drawn anew, so what is built on park waits for it.
    expect(e['banners/park-wide']).toMatchObject({
      action: 'regenerate',
      reason: 'reference scenes/park regenerated',
    });
    expect(e['products/mug']!.action).toBe('unchanged');
  });

  it('a new image built on a new image is created, and waits for it', () => {
    const m = manifest([image('a'), image('b', ['a'])]);
    const p = plan(m, emptyLock(), {
      files: new Map(),
      originals: new Set(),
      references: new Map(),
    });
    const e = byId(p.entries);
    expect(e['a']).toMatchObject({ action: 'create', depth: 0 });
    expect(e['b']).toMatchObject({ action: 'create', depth: 1, waitsFor: ['a'] });
    expect(e['b']!.generation).toBeUndefined();
    expect(p.credits).toBe(30);
  });

  it('--only downstream builds on the locked upstream; an upstream never generated is named', () => {
    const m = manifest(images());
    const { lock, observed } = lockAll(m);
    const edited = manifest(
      images().map((i) => (i.id === 'characters/mia' ? { ...i, prompt: 'edited' } : i)),
    );
    // mia is out of the run: park is planned against mia's locked original, so unchanged.
    const p = plan(edited, lock, observed, { only: ['scenes/park'] });
    expect(p.entries).toHaveLength(1);
    expect(p.entries[0]!.action).toBe('unchanged');
    delete lock.images['characters/mia'];
    const q = plan(edited, lock, observed, { only: ['scenes/park'] });
    expect(q.entries[0]).toMatchObject({
      action: 'regenerate',
      reason: 'reference characters/mia not generated yet (generate it first)',
    });
  });

  it('a paid task recorded for the downstream is resumed once the upstream is in the lock', () => {
    const m = manifest(images());
    const { lock, observed } = lockAll(m);
    const park = lock.images['scenes/park']!;
    delete lock.images['scenes/park'];
    lock.pending['scenes/park'] = {
      taskId: 'task-9',
      generation: park.generation,
      provider: 'kinovi',
      seed: 1,
      credits: 15,
      createdAt: 'x',
    };
    const e = byId(plan(m, lock, observed).entries);
    expect(e['scenes/park']).toMatchObject({
      action: 'create',
      credits: 0,
      resumeTaskId: 'task-9',
    });
  });
});
