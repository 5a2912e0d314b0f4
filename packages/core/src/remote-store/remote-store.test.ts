import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPixlockError } from '../errors.js';
import { sha256 } from '../util/sha256.js';
import { STORE_MARKER } from './check-writable.js';
import { storeKeyPath, type StoreKey } from './store-key.js';
import { bodies, startStoreHarness, type StoreHarness } from './test-utils/store-harness.js';

let h: StoreHarness;
beforeAll(async () => {
  h = await startStoreHarness();
});
afterAll(() => h.close());

const keyOf = (bytes: Buffer, kind: StoreKey['kind'] = 'outputs'): StoreKey => ({
  kind,
  sha256: sha256(bytes),
  mediaType: 'image/webp',
});

describe('RemoteStore over a real S3 protocol server', () => {
  it('puts a file, finds it, and gets the same bytes back', async () => {
    const bytes = Buffer.from('an original, byte for byte');
    const { key, path } = await h.file(bytes);
    expect(await h.store.putFile(key, path)).toEqual({ uploaded: true });
    expect(await h.store.hasMany([key])).toEqual(new Set([storeKeyPath(key)]));
    const dest = join(h.dir, 'fetched.png');
    expect(await h.store.getToFile(key, dest)).toEqual({ bytes: bytes.length });
    expect(await readFile(dest)).toEqual(bytes);
  });

  it('keeps objects at <prefix>/<kind>/<sha256>.<ext> with their media type', async () => {
    const bytes = Buffer.from('layout');
    const { key, path } = await h.file(bytes, 'outputs');
    await h.store.putFile(key, path);
    const res = await fetch(
      `${h.s3.serverEndpoint}/${h.s3.bucket}/team/site/outputs/${key.sha256}.png`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
  });

  it('puts each object once: a second put is a HEAD and no upload', async () => {
    const { key, path } = await h.file(Buffer.from('idempotent'));
    const before = h.store.requestCounts();
    expect(await h.store.putFile(key, path)).toEqual({ uploaded: true });
    expect(await h.store.putFile(key, path)).toEqual({ uploaded: false });
    const after = h.store.requestCounts();
    expect(after.put - before.put).toBe(1);
    expect(after.head - before.head).toBe(2);
  });

  it('with knownAbsent skips the HEAD, and an object already there is not written over', async () => {
    const { key, path } = await h.file(Buffer.from('raced'));
    const putsBefore = h.s3.stats.requests.put;
    const headsBefore = h.s3.stats.requests.head;
    await h.store.putFile(key, path, { knownAbsent: true });
    expect(h.s3.stats.requests.put - putsBefore).toBe(1);
    expect(h.s3.stats.requests.head - headsBefore).toBe(0);
    // A store that enforces If-None-Match answers 412: the object is there, nothing is sent again.
    h.s3.inject({ op: 'put', status: 412 });
    expect(await h.store.putFile(key, path, { knownAbsent: true })).toEqual({ uploaded: false });
  });

  it('refuses to upload a file that does not match its key, sending nothing', async () => {
    const { key, path } = await h.file(Buffer.from('the real bytes'));
    await writeFile(path, 'bytes changed on disk since they were hashed');
    const before = h.s3.stats.requests;
    const snapshot = { ...before };
    const error = await h.store.putFile(key, path).catch((e: unknown) => e);
    expect(isPixlockError(error, 'STORE_CORRUPT')).toBe(true);
    expect(h.s3.stats.requests).toEqual(snapshot);
  });

  it('refuses a stored object whose bytes do not match its sha256, leaving nothing behind', async () => {
    const bytes = Buffer.from('what the lock recorded');
    const key = keyOf(bytes);
    await h.s3.seed(`team/site/${storeKeyPath(key)}`, Buffer.from('rotted bytes of the same'));
    const dest = join(h.dir, 'corrupt-dest.webp');
    const gets = h.s3.stats.requests.get;
    const error = await h.store.getToFile(key, dest).catch((e: unknown) => e);
    expect(isPixlockError(error, 'STORE_CORRUPT')).toBe(true);
    expect((error as Error).message).toContain(
      `s3://${h.s3.bucket}/team/site/${storeKeyPath(key)}`,
    );
    // Fetched twice (a body damaged in transit reads right the second time), then refused.
    expect(h.s3.stats.requests.get - gets).toBe(2);
    expect(existsSync(dest)).toBe(false);
    expect((await readdir(h.dir)).filter((f) => f.includes('corrupt-dest'))).toEqual([]);
  });

  it('reports an absent object as STORE_MISSING without retrying', async () => {
    const key = keyOf(Buffer.from('never stored'));
    const gets = h.s3.stats.requests.get;
    const error = await h.store.getToFile(key, join(h.dir, 'missing.webp')).catch((e) => e);
    expect(isPixlockError(error, 'STORE_MISSING')).toBe(true);
    expect(h.s3.stats.requests.get - gets).toBe(1);
    expect(existsSync(join(h.dir, 'missing.webp'))).toBe(false);
  });

  it("a failure of our own disk is not the store's: no retry, no STORE_* code", async () => {
    const { key, path } = await h.file(Buffer.from('local failure'));
    await h.store.putFile(key, path);
    const gets = h.s3.stats.requests.get;
    const error = await h.store
      .getToFile(key, join(h.dir, 'no-such-folder', 'x.png'))
      .catch((e: unknown) => e);
    expect((error as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect(isPixlockError(error)).toBe(false);
    expect(h.s3.stats.requests.get - gets).toBe(1);
    const requests = { ...h.s3.stats.requests };
    const missing = await h.store.putFile(key, join(h.dir, 'gone.png')).catch((e: unknown) => e);
    expect((missing as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect(h.s3.stats.requests).toEqual(requests);
  });

  it('asks a few keys by HEAD, no listing', async () => {
    const stored = await Promise.all(bodies(2, 'few').map((b) => h.file(b)));
    for (const { key, path } of stored) await h.store.putFile(key, path);
    const absent = keyOf(Buffer.from('few-absent'), 'originals');
    const before = h.store.requestCounts();
    const found = await h.store.hasMany([...stored.map((s) => s.key), absent]);
    const after = h.store.requestCounts();
    expect(found).toEqual(new Set(stored.map((s) => storeKeyPath(s.key))));
    expect(after.head - before.head).toBe(3);
    expect(after.list - before.list).toBe(0);
  });

  it('asks 2,500 keys by listing: 3 requests where HEADs would take 2,500', async () => {
    const all = bodies(3000, 'many');
    // 2,000 stored (seeded straight into the server), 1,000 not; 2,500 asked: 1,500 + 1,000.
    const keys = all.map((b) => keyOf(b, 'outputs'));
    await h.s3.seedMany(
      keys.slice(0, 2000).map((k, i) => ({ key: `team/site/${storeKeyPath(k)}`, body: all[i]! })),
    );
    const asked = [...keys.slice(500, 2000), ...keys.slice(2000)];
    const before = h.store.requestCounts();
    const listsBefore = h.s3.stats.requests.list;
    const found = await h.store.hasMany(asked);
    const counts = h.store.requestCounts();
    expect(found).toEqual(new Set(keys.slice(500, 2000).map(storeKeyPath)));
    // Outputs holds the ~2,000 seeded objects plus a few from other tests: 3 pages of 1,000.
    expect(counts.list - before.list).toBeLessThanOrEqual(3);
    expect(counts.head - before.head).toBe(0);
    expect(h.s3.stats.requests.list - listsBefore).toBe(counts.list - before.list);
  });

  it('checks the store is writable by writing its marker, needing no delete', async () => {
    const before = h.s3.stats.requests;
    const snapshot = { ...before };
    await h.store.checkWritable();
    expect(h.s3.stats.requests.put - snapshot.put).toBe(1);
    expect(h.s3.stats.requests.delete - snapshot.delete).toBe(0);
    const marker = await fetch(`${h.s3.serverEndpoint}/${h.s3.bucket}/team/site/${STORE_MARKER}`);
    expect(JSON.parse(await marker.text())).toMatchObject({ layout: 1 });
    await h.store.checkWritable();
  });

  it('refuses a store laid out by a newer pixlock', async () => {
    await h.s3.seed(`team/site/${STORE_MARKER}`, Buffer.from('{"layout":2}'));
    const error = await h.store.checkWritable().catch((e: unknown) => e);
    expect(isPixlockError(error, 'STORE_REFUSED')).toBe(true);
    expect((error as Error).message).toContain('layout 2');
    await h.s3.seed(`team/site/${STORE_MARKER}`, Buffer.from('{"layout":1}'));
  });

  it('refuses a marker too large to be one, reading no more of it than a marker holds', async () => {
    // Well-formed and of this layout, but no marker pixlock writes is that large.
    const padded = JSON.stringify({ layout: 1, pad: 'x'.repeat(8000) });
    await h.s3.seed(`team/site/${STORE_MARKER}`, Buffer.from(padded));
    const error = await h.store.checkWritable().catch((e: unknown) => e);
    expect(isPixlockError(error, 'STORE_REFUSED')).toBe(true);
    expect((error as Error).message).toContain('"unreadable"');
    await h.s3.seed(`team/site/${STORE_MARKER}`, Buffer.from('{"layout":1}'));
    await h.store.checkWritable();
  });

  it('names a missing bucket as STORE_MISSING when checking writability', async () => {
    const other = await startStoreHarness();
    try {
      const { openRemoteStore } = await import('./remote-store.js');
      const store = await openRemoteStore(
        { ...other.settings, bucket: 'no-such-bucket', url: 's3://no-such-bucket' },
        { clock: { sleep: async () => {} } },
      );
      const error = await store.checkWritable().catch((e: unknown) => e);
      store.close();
      expect(isPixlockError(error, 'STORE_MISSING')).toBe(true);
      expect((error as Error).message).toContain('s3://no-such-bucket/pixlock-store.json');
    } finally {
      await other.close();
    }
  });

  it('runs at most `concurrency` transfers at once', async () => {
    const peakWith = async (concurrency: number, tag: string) => {
      const store = await h.open({ concurrency });
      const files = await Promise.all(bodies(8, tag).map((b) => h.file(b)));
      // Each answer is held back, so uploads that may overlap do.
      h.s3.inject({ op: 'put', delayMs: 60, times: 8 });
      h.s3.stats.peakInFlight = 0;
      await Promise.all(
        files.map(({ key, path }) => store.putFile(key, path, { knownAbsent: true })),
      );
      return h.s3.stats.peakInFlight;
    };
    expect(await peakWith(2, 'two')).toBeLessThanOrEqual(2);
    expect(await peakWith(8, 'eight')).toBeGreaterThan(2);
  });
});
