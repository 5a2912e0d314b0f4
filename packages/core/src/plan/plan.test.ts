import { describe, expect, it } from 'vitest';
import { emptyLock, type LockEntry, type Lockfile } from '../lock/lockfile.js';
import type { ResolvedImage, ResolvedManifest } from '../manifest/resolved-manifest.js';
import { generationHash, generationInputs, outputHash } from './hashes.js';
import { originalSize, outputFiles } from '../manifest/output-files.js';
import { plan, type Observed } from './plan.js';

function image(id: string, over: Partial<ResolvedImage> = {}): ResolvedImage {
  return {
    id,
    prompt: `prompt of ${id}`,
    seed: 1,
    aspectRatio: '1:1',
    resolution: '2k',
    references: [],
    imageReferences: [],
    output: { format: 'webp', fit: 'cover' },
    sourceFile: '/p/pixlock.yaml',
    ...over,
  };
}

function manifest(
  images: ResolvedImage[],
  provider: 'kinovi' | 'placeholder' = 'kinovi',
): ResolvedManifest {
  return {
    file: '/p/pixlock.yaml',
    dir: '/p',
    outDir: 'generated',
    provider: { name: provider, model: 'nanobanana2' },
    concurrency: 4,
    images,
    files: [],
  };
}

/** A lock entry exactly matching `img`, and observations of its files as intact. */
function locked(
  m: ResolvedManifest,
  img: ResolvedImage,
  seed = img.seed ?? 7,
): { entry: LockEntry; files: [string, string][] } {
  const size = originalSize(img.aspectRatio, img.resolution);
  const files = outputFiles(m.outDir, img.id, img.output, size).map((f, i) => ({
    path: f.path,
    sha256: String(i).repeat(64),
    width: 1,
    height: 1,
    bytes: 1,
  }));
  return {
    entry: {
      generation: generationHash(generationInputs(img, m.provider, seed, () => undefined)),
      provider: m.provider.name,
      model: m.provider.model,
      seed,
      taskId: 't',
      credits: 15,
      generatedAt: 'x',
      original: { sha256: `o${img.id}`, mediaType: 'image/png', bytes: 1, ...size },
      output: { hash: outputHash(img.output, size), files },
    },
    files: files.map((f) => [f.path, f.sha256]),
  };
}

function setup(images: ResolvedImage[], lockedImages: ResolvedImage[] = images) {
  const m = manifest(images);
  const lock: Lockfile = emptyLock();
  const files = new Map<string, string | null>();
  const originals = new Set<string>();
  for (const img of lockedImages) {
    const l = locked(m, img);
    lock.images[img.id] = l.entry;
    for (const [p, s] of l.files) files.set(p, s);
    originals.add(l.entry.original.sha256);
  }
  const observed: Observed = { files, originals, references: new Map() };
  return { m, lock, observed, files, originals };
}

const actions = (p: ReturnType<typeof plan>) =>
  Object.fromEntries(p.entries.map((e) => [e.id, e.action]));

describe('plan', () => {
  it('creates new images and prices them by resolution', () => {
    const { m, lock, observed } = setup(
      [image('a'), image('b', { resolution: '4k' }), image('c', { resolution: '1k' })],
      [],
    );
    const p = plan(m, lock, observed);
    expect(actions(p)).toEqual({ a: 'create', b: 'create', c: 'create' });
    expect(p.entries.map((e) => e.credits)).toEqual([15, 25, 15]);
    expect(p).toMatchObject({ version: 1, credits: 55, usd: 0.275 });
  });

  it('costs nothing on the placeholder provider', () => {
    const p = plan(manifest([image('a')], 'placeholder'), emptyLock(), {
      files: new Map(),
      originals: new Set(),
      references: new Map(),
    });
    expect(p.entries[0]).toMatchObject({ action: 'create', credits: 0 });
  });

  it('leaves up-to-date images unchanged', () => {
    const { m, lock, observed } = setup([image('a')]);
    expect(plan(m, lock, observed).entries[0]).toMatchObject({ action: 'unchanged', credits: 0 });
  });

  it.each([
    ['prompt', { prompt: 'new' }],
    ['negativePrompt', { negativePrompt: 'blurry' }],
    ['seed', { seed: 2 }],
    ['aspectRatio', { aspectRatio: '16:9' as const }],
    ['resolution', { resolution: '4k' as const }],
    ['references', { references: ['https://x/ref.png'] }],
  ])('regenerates when %s changes', (_field, change) => {
    const before = image('a');
    const { m, lock, observed } = setup([image('a', change)], [before]);
    const e = plan(m, lock, observed).entries[0]!;
    expect(e.action).toBe('regenerate');
    expect(e.credits).toBe('resolution' in change ? 25 : 15);
  });

  it('regenerates when the provider or model changes', () => {
    const { lock, observed } = setup([image('a')]);
    const m = { ...manifest([image('a')]), provider: { name: 'kinovi' as const, model: 'other' } };
    expect(plan(m, lock, observed).entries[0]).toMatchObject({
      action: 'regenerate',
      reason: 'model changed (nanobanana2 → other)',
    });
  });

  it('reprocesses for free when only output options change', () => {
    const { m, lock, observed } = setup(
      [image('a', { output: { format: 'avif', fit: 'cover', quality: 40 } })],
      [image('a')],
    );
    expect(plan(m, lock, observed).entries[0]).toMatchObject({ action: 'reprocess', credits: 0 });
  });

  it('restores a missing or modified output from the kept original', () => {
    const { m, lock, observed, files } = setup([
      image('a', { output: { format: 'webp', fit: 'cover', widths: [100, 200] } }),
      image('b'),
    ]);
    files.set('generated/a-100.webp', null);
    files.set('generated/b.webp', 'f'.repeat(64));
    const p = plan(m, lock, observed);
    expect(p.entries.map((e) => [e.action, e.credits, e.reason])).toEqual([
      ['restore', 0, 'generated/a-100.webp missing'],
      ['restore', 0, 'generated/b.webp modified'],
    ]);
  });

  it('regenerates (and says why) when a rebuild is needed but the original is gone', () => {
    const { m, lock, observed, files, originals } = setup([image('a')]);
    files.set('generated/a.webp', null);
    originals.clear();
    expect(plan(m, lock, observed).entries[0]).toMatchObject({
      action: 'regenerate',
      credits: 15,
      reason: expect.stringMatching(/original is missing/),
    });
  });

  it('lists lock entries missing from the manifest as orphans with their files', () => {
    const { lock, observed } = setup([image('a'), image('gone')]);
    const p = plan(manifest([image('a')]), lock, observed);
    expect(p.entries[1]).toMatchObject({
      id: 'gone',
      action: 'orphan',
      credits: 0,
      files: ['generated/gone.webp'],
    });
  });

  it('uses the seed pinned in the lock when the manifest has none', () => {
    const pinned = image('a', { seed: undefined });
    const m = manifest([pinned]);
    const l = locked(m, pinned, 1234);
    const lock = { ...emptyLock(), images: { a: l.entry } };
    const observed = {
      files: new Map(l.files),
      originals: new Set([l.entry.original.sha256]),
      references: new Map(),
    };
    expect(plan(m, lock, observed).entries[0]).toMatchObject({ action: 'unchanged', seed: 1234 });
    expect(plan(manifest([image('a', { seed: 1234 })]), lock, observed).entries[0]!.action).toBe(
      'unchanged',
    );
  });

  it('resumes a recorded task instead of paying again, and prices it at zero', () => {
    const img = image('a');
    const m = manifest([img]);
    const generation = generationHash(generationInputs(img, m.provider, 1, () => undefined));
    const lock = {
      ...emptyLock(),
      pending: {
        a: {
          taskId: 'task-9',
          generation,
          provider: 'kinovi',
          seed: 1,
          credits: 15,
          createdAt: 'x',
        },
      },
    };
    const e = plan(m, lock, { files: new Map(), originals: new Set(), references: new Map() })
      .entries[0]!;
    expect(e).toMatchObject({ action: 'create', credits: 0, resumeTaskId: 'task-9' });
    // Edited since: the recorded task no longer matches, so a new one is paid for.
    const edited = plan(manifest([image('a', { prompt: 'other' })]), lock, {
      files: new Map(),
      originals: new Set(),
      references: new Map(),
    });
    expect(edited.entries[0]).toMatchObject({ action: 'create', credits: 15 });
    expect(edited.entries[0]!.resumeTaskId).toBeUndefined();
  });

  it('holds an image whose create was sent but never answered, unless forced', () => {
    const img = image('a');
    const m = manifest([img]);
    const generation = generationHash(generationInputs(img, m.provider, 1, () => undefined));
    const sent = { generation, provider: 'kinovi', seed: 1, credits: 15, createdAt: 'then' };
    const lock = { ...emptyLock(), pending: { a: sent } };
    const none = { files: new Map(), originals: new Set<string>(), references: new Map() };
    const held = plan(m, lock, none).entries[0]!;
    expect(held).toMatchObject({ action: 'create', credits: 0, unconfirmedSince: 'then' });
    expect(held.reason).toMatch(/never answered.*--force/);
    expect(held.resumeTaskId).toBeUndefined();
    const forced = plan(m, lock, none, { force: ['a'] }).entries[0]!;
    expect(forced).toMatchObject({ action: 'create', credits: 15 });
    expect(forced.unconfirmedSince).toBeUndefined();
  });

  it('honours --only and --force globs', () => {
    const { m, lock, observed } = setup([image('team/a'), image('team/b'), image('hero')]);
    const p = plan(m, lock, observed, { only: ['team/*'], force: ['team/b'] });
    expect(actions(p)).toEqual({ 'team/a': 'unchanged', 'team/b': 'regenerate' });
  });

  it('hashes local references by content', () => {
    const img = image('a', { references: ['refs/style.png'] });
    const { m, lock, files, originals } = setup([img]);
    const with1 = {
      files,
      originals,
      references: new Map([['/p/refs/style.png', '1'.repeat(64)]]),
    };
    const with2 = {
      files,
      originals,
      references: new Map([['/p/refs/style.png', '2'.repeat(64)]]),
    };
    const lock1 = plan(m, lock, with1);
    expect(lock1.entries[0]!.action).toBe('regenerate'); // the fixture locked it with the file missing
    expect(plan(m, lock, with2).entries[0]!.generation).not.toBe(lock1.entries[0]!.generation);
  });
});

describe('plan and the provider that drew an image', () => {
  it('regenerates an image the lock says another provider drew, even with the same hash', () => {
    const { m, lock, observed } = setup([image('a')]);
    lock.images.a!.provider = 'placeholder';
    expect(plan(m, lock, observed).entries[0]).toMatchObject({
      action: 'regenerate',
      reason: 'provider changed (placeholder → kinovi)',
    });
  });
});
