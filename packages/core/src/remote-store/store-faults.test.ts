import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isPixlockError, type PixlockError } from '../errors.js';
import { storeKeyPath } from './store-key.js';
import { startStoreHarness, type StoreHarness } from './test-utils/store-harness.js';

let h: StoreHarness;
beforeAll(async () => {
  h = await startStoreHarness();
});
afterAll(() => h.close());
beforeEach(() => {
  h.s3.clearFaults();
  h.sleeps.length = 0;
});

const big = (tag: string) => Buffer.alloc(48 * 1024, tag);
let n = 0;
/** A stored object and a destination path that does not exist yet. */
async function stored(bytes = big(`obj-${n++}`)) {
  const { key, path } = await h.file(bytes);
  await h.store.putFile(key, path);
  return { key, bytes, dest: join(h.dir, `dest-${n++}.png`) };
}
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('resolved'),
    (e: unknown) => e as PixlockError,
  );
const leftovers = async (dest: string) =>
  (await readdir(h.dir)).filter((f) => f.startsWith(dest.split('/').pop()!));

describe('a store that misbehaves', () => {
  it.each([
    ['500 InternalError', { status: 500 }],
    ['503 SlowDown', { status: 503 }],
    ['a reset before the answer', { kind: 'reset' as const }],
    ['half a body, then a reset', { kind: 'cut-body' as const }],
    ['a byte flipped in transit', { kind: 'corrupt' as const }],
  ])('a GET that suffers %s is tried again and lands whole', async (_, fault) => {
    const { key, bytes, dest } = await stored();
    const gets = h.s3.stats.requests.get;
    h.s3.inject({ op: 'get', ...fault });
    await h.store.getToFile(key, dest);
    expect(await readFile(dest)).toEqual(bytes);
    expect(h.s3.stats.requests.get - gets).toBe(2);
    expect(h.sleeps).toHaveLength(1);
    expect(await leftovers(dest)).toEqual([dest.split('/').pop()]);
  });

  it('backs off longer after SlowDown than after a 500', async () => {
    const { key, dest } = await stored();
    h.s3.inject({ op: 'get', status: 500 });
    await h.store.getToFile(key, dest);
    h.s3.inject({ op: 'get', status: 503 });
    await h.store.getToFile(key, `${dest}.2`);
    const [after500, afterSlowDown] = h.sleeps;
    expect(afterSlowDown).toBe(2 * after500!);
  });

  it('gives up after 5 tries with STORE_UNREACHABLE naming the object, nothing left', async () => {
    const { key, dest } = await stored();
    h.s3.inject({ op: 'get', status: 503, times: 5 });
    const error = await failure(h.store.getToFile(key, dest));
    expect(error.code).toBe('STORE_UNREACHABLE');
    expect(error.message).toContain(`GET ${h.settings.url}/${storeKeyPath(key)}`);
    expect(error.message).toContain('after 5 tries');
    expect(error.message).toContain('503 SlowDown');
    expect(h.sleeps).toHaveLength(4);
    expect(h.sleeps).toEqual([...h.sleeps].sort((a, b) => a - b));
    expect(existsSync(dest)).toBe(false);
    expect(await leftovers(dest)).toEqual([]);
  });

  it('a GET whose body trickles past its deadline is stopped and tried again', async () => {
    const store = await h.open({ requestTimeoutMs: 150, minBytesPerSecond: 1024 * 1024 });
    const { key, bytes, dest } = await stored();
    h.s3.inject({ op: 'get', kind: 'trickle', bytesPerSecond: 8 * 1024 });
    await store.getToFile(key, dest);
    expect(await readFile(dest)).toEqual(bytes);
    expect(h.logs.some((l) => l.includes('TimeoutError'))).toBe(true);
  });

  it('a store that never answers in time ends as STORE_UNREACHABLE', async () => {
    const store = await h.open({ requestTimeoutMs: 100, retry: { attempts: 2 } });
    const { key, dest } = await stored();
    h.s3.inject({ op: 'get', delayMs: 400, times: 2 });
    const error = await failure(store.getToFile(key, dest));
    expect(error.code).toBe('STORE_UNREACHABLE');
    expect(error.message).toContain('TimeoutError');
    expect(existsSync(dest)).toBe(false);
  });

  it('an object over the size limit is refused from its Content-Length, not read or retried', async () => {
    const store = await h.open({ maxObjectBytes: 1024 });
    const { key, dest } = await stored();
    const gets = h.s3.stats.requests.get;
    const error = await failure(store.getToFile(key, dest));
    expect(error.code).toBe('STORE_REFUSED');
    expect(error.message).toContain('over the 1024 byte limit');
    expect(h.s3.stats.requests.get - gets).toBe(1);
    expect(await leftovers(dest)).toEqual([]);
  });

  it('an abort mid-body rejects with its reason and leaves nothing', async () => {
    const { key, dest } = await stored();
    h.s3.inject({ op: 'get', kind: 'trickle', bytesPerSecond: 16 * 1024 });
    const controller = new AbortController();
    const reason = new Error('user pressed Ctrl-C');
    const pending = h.store.getToFile(key, dest, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(await leftovers(dest)).toEqual([]);
  });

  it.each([
    ['500', { status: 500 }],
    ['503 SlowDown', { status: 503 }],
    ['a reset before the server saw it', { kind: 'reset' as const }],
    ['a reset after it landed', { kind: 'reset-after' as const }],
  ])('a PUT that suffers %s is tried again, and the object is whole', async (_, fault) => {
    const bytes = big(`put-${n++}`);
    const { key, path } = await h.file(bytes);
    h.s3.inject({ op: 'put', ...fault });
    expect(await h.store.putFile(key, path)).toEqual({ uploaded: true });
    const res = await fetch(`${h.s3.serverEndpoint}/${h.s3.bucket}/team/site/${storeKeyPath(key)}`);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
  });

  it('a store that answers 501 to If-None-Match gets plain PUTs from then on', async () => {
    const store = await h.open();
    const one = await h.file(big(`cond-${n++}`));
    const two = await h.file(big(`cond-${n++}`));
    h.s3.inject({ op: 'put', status: 501 });
    const puts = h.s3.stats.requests.put;
    await store.putFile(one.key, one.path, { knownAbsent: true });
    await store.putFile(two.key, two.path, { knownAbsent: true });
    expect(h.s3.stats.requests.put - puts).toBe(3);
    expect(h.logs.some((l) => l.includes('does not support conditional writes'))).toBe(true);
  });

  it.each([
    ['AccessDenied', 403, 'AccessDenied'],
    ['ExpiredToken', 400, 'ExpiredToken'],
  ])('%s is STORE_DENIED at once, not retried', async (_, status, code) => {
    const { key, dest } = await stored();
    const gets = h.s3.stats.requests.get;
    h.s3.inject({ op: 'get', status, code });
    const error = await failure(h.store.getToFile(key, dest));
    expect(error.code).toBe('STORE_DENIED');
    expect(error.message).toContain(code);
    expect(h.s3.stats.requests.get - gets).toBe(1);
    expect(existsSync(dest)).toBe(false);
  });

  it('a store that lets us read but not write fails checkWritable with STORE_DENIED', async () => {
    h.s3.inject({ op: 'put', status: 403 });
    const error = await failure(h.store.checkWritable());
    expect(error.code).toBe('STORE_DENIED');
    expect(error.message).toContain(`PUT ${h.settings.url}/pixlock-store.json was denied`);
  });

  it('an unreachable endpoint fails checkWritable with STORE_UNREACHABLE naming it', async () => {
    const { openRemoteStore } = await import('./remote-store.js');
    const endpoint = 'http://127.0.0.1:9';
    const store = await openRemoteStore(
      { ...h.settings, endpoint },
      { clock: { sleep: async () => {} }, retry: { attempts: 2 } },
    );
    const error = await failure(store.checkWritable());
    store.close();
    expect(error.code).toBe('STORE_UNREACHABLE');
    expect(error.message).toContain(endpoint);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('a listing that fails is retried, and the answer is the same', async () => {
    const keys = await Promise.all(
      Array.from({ length: 14 }, async (_, i) => (await stored(big(`list-${i}`))).key),
    );
    h.s3.inject({ op: 'list', status: 500 });
    h.s3.inject({ op: 'list', kind: 'reset' });
    const found = await h.store.hasMany(keys);
    expect(found).toEqual(new Set(keys.map(storeKeyPath)));
    expect(h.sleeps).toHaveLength(2);
  });

  it('an existence check denied its listing says so', async () => {
    const keys = await Promise.all(
      Array.from({ length: 14 }, async (_, i) => (await stored(big(`deny-${i}`))).key),
    );
    h.s3.inject({ op: 'list', status: 403 });
    const error = await failure(h.store.hasMany(keys));
    expect(isPixlockError(error, 'STORE_DENIED')).toBe(true);
    expect(error.message).toContain(`LIST ${h.settings.url}/originals/`);
  });
});
