import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitShards, type SplitItem } from './split-shards.js';

/**
 * Items as a manifest's components weigh: most of one image, one in ten of 2 to 12 images
 * built on each other; an image's work from one output to AVIF + WebP at several widths, a
 * third with a provider task. Keys are ids of varied shape. Drawn from a seed fast-check
 * picks (and shrinks), by a small generator: fast-check's own arrays of 10,000 records take
 * seconds to build.
 */
function manifestItems(minImages: number, maxImages: number) {
  return fc
    .record({
      seed: fc.integer({ min: 1 }),
      images: fc.integer({ min: minImages, max: maxImages }),
    })
    .map(({ seed, images }) => {
      let state = seed >>> 0;
      const next = () => {
        state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
        return state / 2 ** 32;
      };
      const items: SplitItem[] = [];
      for (let n = 0; n < images;) {
        const size = next() < 0.9 ? 1 : 2 + Math.floor(next() * 11);
        let weight = 0;
        for (let k = 0; k < size; k++)
          weight += 1 + Math.floor(next() * 8) + (next() < 0.33 ? 4 : 0);
        const folder = ['characters', 'scenes', 'blog/2026', 'p'][Math.floor(next() * 4)];
        items.push({ key: `${folder}/${(state % 100_000).toString(36)}-${items.length}`, weight });
        n += size;
      }
      return { items, images };
    });
}

/** Each shard's load over the mean, for shards not holding an oversized item. */
function offMean(items: readonly SplitItem[], total: number) {
  const split = splitShards(items, total);
  const pinned = new Set(split.oversized.map((o) => o.shard));
  return {
    split,
    worst: Math.max(
      ...split.loads.filter((_, s) => !pinned.has(s + 1)).map((l) => Math.abs(l / split.mean - 1)),
    ),
  };
}

const SETTINGS = { seed: 2311, numRuns: 10 };

describe('splitShards', () => {
  describe('balance: each shard within 20% of the mean', () => {
    for (const total of [2, 4, 8, 16]) {
      it(`1,000 images, ${total} shards`, () => {
        fc.assert(
          fc.property(manifestItems(1000, 1300), ({ items }) => {
            const { split, worst } = offMean(items, total);
            expect(worst).toBeLessThanOrEqual(0.2);
            expect(split.oversized).toEqual([]);
          }),
          SETTINGS,
        );
      });
    }
    for (const total of [2, 4, 8, 16]) {
      it(`10,000 images, ${total} shards`, () => {
        fc.assert(
          fc.property(manifestItems(10_000, 10_400), ({ items }) => {
            expect(offMean(items, total).worst).toBeLessThanOrEqual(0.2);
          }),
          { seed: SETTINGS.seed, numRuns: 3 },
        );
      });
    }
  });

  it('gives a component larger than the band a shard of its own, and balances the rest', () => {
    fc.assert(
      fc.property(
        manifestItems(1000, 1200),
        fc.integer({ min: 2, max: 16 }),
        fc.double({ min: 1.5, max: 6, noNaN: true }),
        ({ items }, total, size) => {
          const work = items.reduce((w, i) => w + i.weight, 0);
          const giant = { key: 'characters/mia', weight: (size * work) / (total - 1) };
          const { split, worst } = offMean([...items, giant], total);
          expect(split.oversized.map((o) => o.key)).toEqual(['characters/mia']);
          const shard = split.oversized[0]!.shard;
          expect(split.loads[shard - 1]).toBe(giant.weight);
          expect(worst).toBeLessThanOrEqual(0.2);
        },
      ),
      SETTINGS,
    );
  });

  it('is stable: adding or removing an item moves few others, weightless ones never', () => {
    let moves = 0;
    let changes = 0;
    fc.assert(
      fc.property(
        manifestItems(1000, 1300),
        fc.constantFrom(2, 4, 8, 16),
        fc.integer({ min: 0 }),
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        ({ items }, total, pick, weight, adding) => {
          const idle = items.slice(0, 50).map((i) => ({ key: `idle/${i.key}`, weight: 0 }));
          const before = splitShards([...items, ...idle], total);
          const changed = adding
            ? [...items, { key: 'added/one', weight }, ...idle]
            : [...items.filter((_, i) => i !== pick % items.length), ...idle];
          const after = splitShards(changed, total);
          let moved = 0;
          for (const item of changed) {
            const was = before.shardOf.get(item.key);
            if (was === undefined || was === after.shardOf.get(item.key)) continue;
            expect(item.weight).toBeGreaterThan(0);
            moved++;
          }
          moves += moved;
          changes++;
          // At most 3% of the items, and on average (below) well under 1%.
          expect(moved).toBeLessThanOrEqual(Math.ceil(0.03 * items.length));
        },
      ),
      { seed: SETTINGS.seed, numRuns: 60 },
    );
    expect(moves / changes).toBeLessThan(0.005 * 1000);
  });

  it('moves nothing when pure hashing is already within the band', () => {
    // Four shards of 10,000 equal items: hashing alone lands within 15% of the mean.
    const items = Array.from({ length: 10_000 }, (_, i) => ({ key: `img-${i}`, weight: 1 }));
    const before = splitShards(items, 4);
    expect(before.moved).toBe(0);
    const after = splitShards([...items, { key: 'img-new', weight: 1 }], 4);
    for (const item of items)
      expect(after.shardOf.get(item.key)).toBe(before.shardOf.get(item.key));
  });

  it('is the same split however the items are listed', () => {
    fc.assert(
      fc.property(manifestItems(200, 400), fc.constantFrom(3, 8), ({ items }, total) => {
        const a = splitShards(items, total);
        const b = splitShards([...items].reverse(), total);
        expect([...b.shardOf].sort()).toEqual([...a.shardOf].sort());
      }),
      SETTINGS,
    );
  });

  it('refuses what it cannot split', () => {
    expect(() => splitShards([], 0)).toThrow(TypeError);
    expect(() => splitShards([{ key: 'a', weight: -1 }], 2)).toThrow(/weight/);
    expect(() => splitShards([{ key: 'a', weight: NaN }], 2)).toThrow(/weight/);
    expect(() =>
      splitShards(
        [
          { key: 'a', weight: 1 },
          { key: 'a', weight: 2 },
        ],
        2,
      ),
    ).toThrow(/twice/);
  });

  it('puts everything on the one shard of a single runner', () => {
    const split = splitShards(
      [
        { key: 'a', weight: 3 },
        { key: 'b', weight: 0 },
      ],
      1,
    );
    expect([...split.shardOf.values()]).toEqual([1, 1]);
  });
});
