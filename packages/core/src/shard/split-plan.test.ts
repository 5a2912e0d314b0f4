import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyLock } from '../lock/lockfile.js';
import type { ResolvedImage, ResolvedManifest } from '../manifest/resolved-manifest.js';
import { outputHash } from '../plan/hashes.js';
import { outputFiles } from '../manifest/output-files.js';
import { plan } from '../plan/plan.js';
import { imageComponents } from './image-components.js';
import { lockAsObserved } from './lock-as-observed.js';
import { shareOf, splitPlan } from './split-plan.js';

function image(id: string, refs: string[] = [], over: Partial<ResolvedImage> = {}): ResolvedImage {
  return {
    id,
    prompt: `prompt of ${id}`,
    seed: 1,
    aspectRatio: '16:9',
    resolution: '2k',
    references: [],
    imageReferences: refs,
    output: { format: 'avif', formats: ['avif', 'webp'], widths: [640, 1280], fit: 'cover' },
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

/** A manifest whose image i references up to two earlier images (a random DAG). */
const graphs = fc
  .array(fc.array(fc.nat(), { maxLength: 2 }), { minLength: 1, maxLength: 300 })
  .map((refs) =>
    refs.map((ups, i) =>
      image(
        `img-${i}`,
        i === 0 ? [] : [...new Set(ups.map((u) => `img-${u % i}`))].filter((u) => u !== `img-${i}`),
      ),
    ),
  );

function split(images: ResolvedImage[], total: number) {
  const m = manifest(images);
  const lock = emptyLock();
  const p = plan(m, lock, lockAsObserved(lock, new Map()));
  return splitPlan(m, lock, p, total);
}

describe('splitPlan', () => {
  it('keeps every component of the image graph on one shard, and every image on one', () => {
    fc.assert(
      fc.property(graphs, fc.integer({ min: 1, max: 16 }), (images, total) => {
        const s = split(images, total);
        expect(s.shardOf.size).toBe(images.length);
        for (const img of images)
          for (const up of img.imageReferences)
            expect(s.shardOf.get(up), `${img.id} → ${up}`).toBe(s.shardOf.get(img.id));
        const shares = Array.from({ length: total }, (_, i) => shareOf(s, i + 1));
        expect(shares.flat().sort()).toEqual(images.map((i) => i.id).sort());
      }),
      { seed: 23, numRuns: 40 },
    );
  });

  it('counts tasks and encoding per shard, and the loads sum to the run', () => {
    const images = Array.from({ length: 400 }, (_, i) => image(`p/${i}`));
    const s = split(images, 4);
    expect(s.loads.reduce((n, l) => n + l.tasks, 0)).toBe(400);
    expect(s.loads.reduce((n, l) => n + l.credits, 0)).toBe(400 * 15);
    for (const l of s.loads) {
      expect(l.working).toBe(l.images);
      expect(Math.abs(l.work - 1)).toBeLessThanOrEqual(0.2);
      // AVIF and WebP at 640 and 1280 of a 2048×1152 original: 2 × (2.8 + 1) × 0.2 + … per image.
      expect(l.encode / l.images).toBeCloseTo((2.8 + 1) * ((640 * 360 + 1280 * 720) / 1e6), 6);
    }
  });

  it('is the same split, with the same digest, on every runner and differs with n', () => {
    const images = Array.from({ length: 50 }, (_, i) =>
      image(`x/${i}`, i > 0 && i % 5 ? [`x/${i - 1}`] : []),
    );
    expect(split(images, 3).digest).toBe(split([...images].reverse(), 3).digest);
    expect(split(images, 3).digest).not.toBe(split(images, 4).digest);
  });

  it('says which component is too large for any shard', () => {
    const chain = Array.from({ length: 30 }, (_, i) =>
      image(`mia/${i}`, i ? [`mia/${i - 1}`] : []),
    );
    const loose = Array.from({ length: 20 }, (_, i) => image(`loose/${i}`));
    const s = split([...chain, ...loose], 4);
    expect(s.oversized).toHaveLength(1);
    expect(s.oversized[0]!.ids).toHaveLength(30);
    expect(s.loads[s.oversized[0]!.shard - 1]!.images).toBe(30);
  });

  it('splits unchanged images by what restoring them would cost', () => {
    const images = Array.from({ length: 200 }, (_, i) => image(`u/${i}`));
    const m = manifest(images);
    const first = split(images, 2);
    // A lock holding every image as drawn: nothing to do, yet each shard owns about half.
    const lock = emptyLock();
    const original = { width: 2048, height: 1152 };
    for (const img of images)
      lock.images[img.id] = {
        generation: plan(m, emptyLock(), lockAsObserved(emptyLock(), new Map())).entries.find(
          (e) => e.id === img.id,
        )!.generation!,
        provider: 'kinovi',
        model: 'nanobanana2',
        seed: 1,
        taskId: `t-${img.id}`,
        credits: 15,
        generatedAt: '2026-01-01T00:00:00.000Z',
        original: { sha256: 'a'.repeat(64), mediaType: 'image/png', bytes: 1, ...original },
        output: {
          hash: outputHash(img.output, original),
          files: outputFiles(m.outDir, img.id, img.output, original).map((f) => ({
            path: f.path,
            sha256: 'c'.repeat(64),
            width: 1,
            height: 1,
            bytes: 1,
          })),
        },
      };
    const idle = splitPlan(m, lock, plan(m, lock, lockAsObserved(lock, new Map())), 2);
    expect(idle.loads.map((l) => l.working)).toEqual([0, 0]);
    for (const l of idle.loads) expect(l.images).toBeGreaterThan(70);
    // Work alike for every image, done or not: each stays on the shard it had when new.
    expect(idle.digest).toBe(first.digest);
  });
});

describe('imageComponents', () => {
  it('joins images by references either way and names each by its smallest id', () => {
    const c = imageComponents([
      image('b', ['c']),
      image('c'),
      image('a', ['zz-unknown']),
      image('d', ['b']),
      image('e'),
    ]);
    expect(c).toEqual([
      { key: 'a', ids: ['a'] },
      { key: 'b', ids: ['b', 'c', 'd'] },
      { key: 'e', ids: ['e'] },
    ]);
  });
});
