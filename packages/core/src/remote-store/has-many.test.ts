import fc from 'fast-check';
import pLimit from 'p-limit';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../engine/ports.js';
import { hasMany } from './has-many.js';
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
      const after = sorted.filter(
        (k) => k.startsWith(prefix) && (ignoreStartAfter || k > startAfter),
      );
      return { keys: after.slice(0, pageSize), truncated: after.length > pageSize };
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

const hex = (n: number) => n.toString(16).padStart(64, '0');
const path = (kind: string, n: number, ext = 'png') => `${kind}/${hex(n)}.${ext}`;

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
          expect(counts.head).toBe(0);
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

  it('skips the ranges between asked keys: 100 asked among 100,000 take at most 100 listings', async () => {
    const all = Array.from({ length: 100_000 }, (_, i) => path('originals', i));
    const { calls, counts } = memoryCalls(
      all.map((k) => `p/${k}`),
      1000,
    );
    const asked = Array.from({ length: 100 }, (_, i) => path('originals', i * 997));
    expect((await hasMany(context(calls, 10), asked)).size).toBe(100);
    expect(counts.list).toBeLessThanOrEqual(100);
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
