import { describe, expect, it } from 'vitest';
import {
  emptyLock,
  type LockedCandidate,
  type LockEntry,
  type Lockfile,
} from '../lock/lockfile.js';
import { candidateSeed } from '../lock/task-key.js';
import type { ResolvedImage, ResolvedManifest } from '../manifest/resolved-manifest.js';
import { generationHash, generationInputs, outputHash } from './hashes.js';
import { plan, type Observed } from './plan.js';

const img = (over: Partial<ResolvedImage> = {}): ResolvedImage => ({
  id: 'hero',
  prompt: 'a hero',
  aspectRatio: '1:1',
  resolution: '2k',
  references: [],
  imageReferences: [],
  output: { format: 'webp', fit: 'cover' },
  sourceFile: '/p/pixlock.yaml',
  ...over,
});
const manifest = (image: ResolvedImage): ResolvedManifest => ({
  file: '/p/pixlock.yaml',
  dir: '/p',
  outDir: 'out',
  provider: { name: 'kinovi', model: 'nanobanana2' },
  concurrency: 4,
  images: [image],
  files: [],
});
const gen = (image: ResolvedImage, seed: number) =>
  generationHash(
    generationInputs(image, { name: 'kinovi', model: 'nanobanana2' }, seed, () => undefined),
  );
const candidate = (seed: number, slot: number): LockedCandidate => ({
  seed: candidateSeed(seed, slot),
  taskId: `t${slot}`,
  credits: 15,
  generatedAt: 'x',
  original: {
    sha256: String(slot).repeat(64),
    mediaType: 'image/png',
    bytes: 1,
    width: 1,
    height: 1,
  },
});
/** A lock entry for `image` with the candidates of `slots`, the `chosen`-th chosen. */
function entry(image: ResolvedImage, slots: number[], chosen = 1): LockEntry {
  const candidates = slots.map((s) => candidate(42, s));
  const c = candidates[chosen - 1]!;
  return {
    generation: gen(image, 42),
    provider: 'kinovi',
    model: 'nanobanana2',
    seed: 42,
    taskId: c.taskId,
    credits: 15,
    generatedAt: 'x',
    original: c.original,
    output: {
      hash: outputHash(image.output),
      files: [{ path: 'out/hero.webp', sha256: 'f'.repeat(64), width: 1, height: 1, bytes: 1 }],
    },
    ...(chosen !== 1 && { chosen }),
    candidates,
  };
}
const observed: Observed = {
  files: new Map([['out/hero.webp', 'f'.repeat(64)]]),
  originals: new Set(),
  references: new Map(),
};

describe('planning variants', () => {
  it('is up to date when the lock holds exactly the candidates wanted', () => {
    const image = img({ seed: 42, variants: 3 });
    const lock = { ...emptyLock(), images: { hero: entry(image, [1, 2, 3]) } };
    expect(plan(manifest(image), lock, observed).entries[0]).toMatchObject({ action: 'unchanged' });
  });

  it('drops to the wanted count keeping the chosen one, and draws only the missing ones', () => {
    const two = img({ seed: 42, variants: 2 });
    const lock = { ...emptyLock(), images: { hero: entry(two, [1, 2, 3, 4], 3) } };
    const down = plan(manifest(two), lock, observed).entries[0]!;
    expect(down).toMatchObject({
      action: 'reprocess',
      credits: 0,
      candidates: { slots: [1, 3], chosen: 3, tasks: [] },
    });

    const four = img({ seed: 42, variants: 4 });
    lock.images.hero = entry(four, [1, 3], 2);
    const up = plan(manifest(four), lock, observed).entries[0]!;
    expect(up).toMatchObject({
      action: 'create',
      credits: 30,
      candidates: { slots: [1, 2, 3, 4], chosen: 3 },
    });
    expect(up.candidates!.tasks.map((t) => t.key)).toEqual(['hero#2', 'hero#4']);
  });

  it('resumes each candidate task already paid for, and holds the image for one never answered', () => {
    const image = img({ seed: 42, variants: 3 });
    const g = gen(image, 42);
    const pendingTask = {
      generation: g,
      provider: 'kinovi',
      seed: 42,
      credits: 15,
      createdAt: 'then',
    };
    const lock: Lockfile = {
      ...emptyLock(),
      pending: {
        hero: { ...pendingTask, taskId: 'a' },
        'hero#3': { ...pendingTask, taskId: 'c', candidate: 3 },
      },
    };
    const e = plan(manifest(image), lock, observed).entries[0]!;
    expect(e).toMatchObject({ action: 'create', credits: 15 });
    expect(e.candidates!.tasks).toEqual([
      { slot: 1, key: 'hero', resumeTaskId: 'a' },
      { slot: 2, key: 'hero#2' },
      { slot: 3, key: 'hero#3', resumeTaskId: 'c' },
    ]);
    lock.pending['hero#2'] = { ...pendingTask, candidate: 2 };
    const held = plan(manifest(image), lock, observed).entries[0]!;
    expect(held).toMatchObject({ credits: 0, unconfirmedSince: 'then' });
    // --force is the consent to draw them all anew.
    const forced = plan(manifest(image), lock, observed, { force: ['hero'] }).entries[0]!;
    expect(forced.unconfirmedSince).toBeUndefined();
    expect(forced.credits).toBe(45);
  });

  it("recovers a seedless image's seed from a later candidate's pending task, so it is resumed", () => {
    const image = img({ variants: 2 });
    const pendingTask = {
      generation: gen(image, 99),
      provider: 'kinovi',
      seed: 99,
      credits: 15,
      createdAt: 'then',
    };
    const lock: Lockfile = {
      ...emptyLock(),
      pending: { 'hero#2': { ...pendingTask, taskId: 'b', candidate: 2 } },
    };
    const e = plan(manifest(image), lock, observed).entries[0]!;
    expect(e.seed).toBe(99);
    expect(e.candidates!.tasks[1]).toEqual({ slot: 2, key: 'hero#2', resumeTaskId: 'b' });
    expect(e.credits).toBe(15);
  });

  it('draws every candidate anew when the prompt changes', () => {
    const image = img({ seed: 42, variants: 2 });
    const lock = { ...emptyLock(), images: { hero: entry(image, [1, 2], 2) } };
    const e = plan(manifest({ ...image, prompt: 'another' }), lock, observed).entries[0]!;
    expect(e).toMatchObject({
      action: 'regenerate',
      credits: 30,
      candidates: { slots: [1, 2], chosen: 1 },
    });
  });
});
