import fc from 'fast-check';
import pLimit from 'p-limit';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../engine/ports.js';
import { sha256 } from '../util/sha256.js';
import { hasMany, LIST_COST_IN_HEADS } from './has-many.js';
import type { S3Calls } from './s3-calls.js';
import type { StoreContext } from './store-context.js';
import { DEFAULT_STORE_RETRY } from './with-retries.js';

/** An in-memory bucket speaking the S3Calls port, paging `pageSize` keys at a time. */
function memoryCalls(objects: Iterable<string>, pageSize: number, ignoreStartAfter = false) {
  const sorted = [...new Set(objects)].sort();
  const counts = { head: 0, list: 0, get: 0, put: 0, delete: 0, total: 0 };
  const calls: S3Calls = {
    async head(key) {
      counts.head++;
      return sorted.includes(key);
    },
    async list(prefix, startAfter) {
      counts.list++;
      const from = ignoreStartAfter ? prefix : startAfter > prefix ? startAfter : prefix;
      // Binary search for the first key after `from`, then a page of keys under `prefix`.
      let lo = 0;
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid]! > from || (ignoreStartAfter && sorted[mid]! >= from)) hi = mid;
        else lo = mid + 1;
      }
      const page: string[] = [];
      let i = lo;
      for (; i < sorted.length && page.length < pageSize; i++) {
        if (!sorted[i]!.startsWith(prefix)) break;
        page.push(sorted[i]!);
      }
      const truncated = i < sorted.length && sorted[i]!.startsWith(prefix);
      return { keys: page, truncated };
    },
    get: () => Promise.reject(new Error('unused')),
    put: () => Promise.reject(new Error('unused')),
    counts: () => ({ ...counts }),
    close() {},
  };
  return { calls, counts };
}

function context(calls: S3Calls, headThreshold = 0): StoreContext {
  return {
    settings: {
      url: 's3://b/p',
      bucket: 'b',
      prefix: 'p/',
      endpointFrom: 'aws',
      region: 'us-east-1',
      forcePathStyle: false,
    },
    calls,
    retry: {
      policy: DEFAULT_STORE_RETRY,
      clock: { sleep: async () => {} },
      random: () => 0,
      logger: silentLogger,
    },
    limit: pLimit(4),
    requestTimeoutMs: 1000,
    minBytesPerSecond: 1,
    maxObjectBytes: 1,
    headThreshold,
    conditionalPuts: true,
  };
}

const path = (kind: string, n: number, ext = 'png') => `${kind}/${sha256(String(n))}.${ext}`;
/** Requests weighed as a bill: a listing costs 12.5 HEADs. */
const cost = (c: { list: number; head: number }) => c.list * LIST_COST_IN_HEADS + c.head;

describe('hasMany', () => {
  it('finds exactly the asked keys the store holds, in at most min(asked, stored/page + 1) listings per kind', () => {
    fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.nat(300), { maxLength: 120 }),
        fc.uniqueArray(fc.nat(300), { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1, max: 20 }),
        async (storedIds, askedIds, pageSize) => {
          const stored = storedIds.map((n) => path('outputs', n));
          // Other kinds and other extensions of asked sha256s sit among them.
          const noise = [...storedIds.map((n) => path('originals', n)), path('outputs', 7, 'avif')];
          const { calls, counts } = memoryCalls(
            [...stored, ...noise].map((k) => `p/${k}`),
            pageSize,
          );
          const asked = askedIds.map((n) => path('outputs', n));
          const found = await hasMany(context(calls), asked);
          expect(found).toEqual(new Set(asked.filter((k) => stored.includes(k))));
          const storedOutputs = stored.length + (storedIds.includes(7) ? 0 : 1);
          expect(counts.list).toBeLessThanOrEqual(
            Math.min(asked.length, Math.floor(storedOutputs / pageSize) + 1),
          );
          expect(counts.head).toBeLessThanOrEqual(asked.length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('10,000 keys asked of a store of 10,000 take 10 listings of 1,000', async () => {
    const all = Array.from({ length: 10_000 }, (_, i) => path('outputs', i * 7919));
    const { calls, counts } = memoryCalls(
      all.map((k) => `p/${k}`),
      1000,
    );
    const found = await hasMany(context(calls, 10), all);
    expect(found.size).toBe(10_000);
    expect(counts).toMatchObject({ list: 10, head: 0 });
  });

  it('a few keys scattered over a large store: HEADs once a page shows listing would cost more', async () => {
    const all = Array.from({ length: 10_000 }, (_, i) => path('originals', i));
    const { calls, counts } = memoryCalls(
      all.map((k) => `p/${k}`),
      1000,
    );
    const asked = Array.from({ length: 100 }, (_, i) => path('originals', i * 97));
    expect((await hasMany(context(calls, 12), asked)).size).toBe(100);
    // Listing all would take 10 pages (125 HEADs' worth); HEADs alone 100: one page, then HEADs.
    expect(counts.list).toBe(1);
    expect(cost(counts)).toBeLessThanOrEqual(
      Math.min(100, 10 * LIST_COST_IN_HEADS) + LIST_COST_IN_HEADS,
    );
  });

  it('keeps listing when most of the store is asked', async () => {
    const all = Array.from({ length: 10_000 }, (_, i) => path('outputs', i));
    const { calls, counts } = memoryCalls(
      all.map((k) => `p/${k}`),
      1000,
    );
    const asked = [
      ...all.slice(0, 5000),
      ...Array.from({ length: 5000 }, (_, i) => path('outputs', 20_000 + i)),
    ];
    expect((await hasMany(context(calls, 12), asked)).size).toBe(5000);
    expect(counts).toMatchObject({ list: 10, head: 0 });
  });

  it('skips the ranges between asked keys of a store much larger than asked', async () => {
    const all = Array.from({ length: 50_000 }, (_, i) => path('originals', i));
    const { calls, counts } = memoryCalls(
      all.map((k) => `p/${k}`),
      1000,
    );
    const asked = Array.from({ length: 1000 }, (_, i) => path('originals', i * 50));
    expect((await hasMany(context(calls, 12), asked)).size).toBe(1000);
    // 1,000 scattered over 50 pages: listing every page (625 HEADs' worth) beats 1,000 HEADs.
    expect(cost(counts)).toBeLessThanOrEqual(50 * LIST_COST_IN_HEADS);
    expect(counts.list).toBeLessThanOrEqual(50);
  });

  it('asks up to headThreshold keys of a kind by HEAD', async () => {
    const { calls, counts } = memoryCalls([`p/${path('outputs', 1)}`], 1000);
    const found = await hasMany(
      context(calls, 3),
      [1, 2, 3].map((n) => path('outputs', n)),
    );
    expect(found).toEqual(new Set([path('outputs', 1)]));
    expect(counts).toMatchObject({ head: 3, list: 0 });
  });

  it('still ends, and right, with a store that ignores StartAfter', async () => {
    const stored = Array.from({ length: 30 }, (_, i) => path('outputs', i));
    const { calls } = memoryCalls(
      stored.map((k) => `p/${k}`),
      5,
      true,
    );
    const asked = [3, 17, 29, 40].map((n) => path('outputs', n));
    const found = await hasMany(context(calls), asked);
    expect(found).toEqual(new Set(asked.slice(0, 3)));
  });
});
