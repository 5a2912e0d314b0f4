import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { sharpCodec } from '../codec/sharp-codec.js';
import { emptyLock } from '../lock/lockfile.js';
import { sha256 } from '../util/sha256.js';
import type { ImageProvider } from '../providers/image-provider.js';
import { manifestOf, runWithFakes } from './test-utils/engine-run.js';
import { drive, fakeClock } from './test-utils/fake-clock.js';
import { memoryProvider, memoryServer } from './test-utils/memory-provider.js';
import { memoryStore } from './test-utils/memory-store.js';

// The engine drives providers by their capabilities alone: results as bytes, references as
// inline bytes, synchronous calls. These runs use the in-memory provider and the real codec
// (its results are real PNGs).

const KEY = 'k';
const png = (r: number) =>
  sharp({ create: { width: 8, height: 8, channels: 3, background: { r, g: 9, b: 9 } } })
    .png()
    .toBuffer();

/** A run of one image on `provider`, noting journal lines, creates and lock writes in order. */
async function runOne(
  provider: ImageProvider,
  extra: Partial<Parameters<typeof runWithFakes>[0]> = {},
) {
  const clock = fakeClock();
  const store = memoryStore();
  const order: string[] = [];
  const writeLock = store.writeLock.bind(store);
  store.writeLock = async (text) => {
    order.push(text.includes('original:') ? 'lock:image' : 'lock');
    return writeLock(text);
  };
  const create = provider.createTask.bind(provider);
  provider.createTask = (request, ctx) => {
    order.push('create');
    return create(request, ctx);
  };
  const journal = {
    sent: (key: string) => order.push(`sent ${key}`),
    settled: (key: string) => order.push(`settled ${key}`),
  };
  const manifest = manifestOf(1);
  const lock = emptyLock();
  const run = await drive(
    clock,
    runWithFakes({
      manifest,
      provider,
      store,
      clock,
      lock,
      codec: sharpCodec(),
      journal,
      ...extra,
    }),
  );
  return { run, order, lock, store, manifest };
}

describe('a synchronous provider whose results are bytes', () => {
  it('notes the create before the call, records no task to resume, settles once the image is in the lock', async () => {
    const server = memoryServer([KEY]);
    const { run, order, lock, store } = await runOne(
      memoryProvider(server, { key: KEY, calls: 'sync' }),
    );
    expect(run.counts.created).toBe(1);
    expect(order).toEqual(['sent img-0', 'create', 'lock:image', 'settled img-0']);
    expect(lock.images['img-0']!.taskId).toBe('mem-1');
    // The bytes were verified and kept as the original, like a download.
    const original = lock.images['img-0']!.original;
    expect(sha256(store.originals.get(original.sha256)!)).toBe(original.sha256);
    expect(original).toMatchObject({ mediaType: 'image/png', width: 8, height: 8 });
  });

  it('keeps the journal line when the result could not be kept: the next run holds the image', async () => {
    const server = memoryServer([KEY]);
    const store = memoryStore();
    store.originalsStore.put = () =>
      Promise.reject(Object.assign(new Error('ENOSPC: no space left'), { code: 'ENOSPC' }));
    const { run, order } = await runOne(memoryProvider(server, { key: KEY, calls: 'sync' }), {
      store,
    });
    expect(run.results[0]).toMatchObject({ outcome: 'failed' });
    expect(order).toContain('sent img-0');
    expect(order.filter((line) => line.startsWith('settled'))).toEqual([]);
    expect(server.creates).toBe(1);
  });

  it('fails an image whose bytes are no image once, without asking again, and settles it', async () => {
    const server = memoryServer([KEY]);
    const provider = memoryProvider(server, { key: KEY, calls: 'sync' });
    const create = provider.createTask.bind(provider);
    provider.createTask = async (request, ctx) => {
      const created = await create(request, ctx);
      return {
        ...created,
        status: {
          state: 'success',
          output: { bytes: Buffer.from('<html>no</html>') },
          creditsUsed: 15,
        },
      };
    };
    const { run, order } = await runOne(provider);
    expect(run.results[0]).toMatchObject({
      outcome: 'failed',
      error: { code: 'DOWNLOAD_INVALID' },
    });
    expect(order.filter((line) => line === 'create')).toHaveLength(1);
    expect(order).toContain('settled img-0');
  });
});

describe('references inline', () => {
  it('sends a local file as its bytes, checked against the hash the plan used', async () => {
    const server = memoryServer([KEY]);
    const style = await png(200);
    const { run } = await runOne(memoryProvider(server, { key: KEY, calls: 'task' }), {
      manifest: withReference(),
      references: new Map([['/project/style.png', sha256(style)]]),
      readReference: async () => style,
    });
    expect(run.counts.created).toBe(1);
    expect(server.tasks.get('mem-1')!.received).toEqual([
      'https://example.test/mood.png',
      sha256(style),
    ]);
  });

  it('sends nothing when the file changed since it was planned', async () => {
    const server = memoryServer([KEY]);
    const { run } = await runOne(memoryProvider(server, { key: KEY, calls: 'task' }), {
      manifest: withReference(),
      references: new Map([['/project/style.png', sha256(await png(200))]]),
      readReference: () => png(201),
    });
    expect(run.results[0]).toMatchObject({
      outcome: 'failed',
      error: { code: 'PROVIDER_BAD_REQUEST' },
    });
    expect(run.results[0]!.error!.message).toMatch(/changed since it was planned/);
    expect(server.creates).toBe(0);
  });

  it('fails before any create for a provider that takes only public URLs', async () => {
    const server = memoryServer([KEY]);
    const provider = memoryProvider(server, { key: KEY, calls: 'task' });
    const urlsOnly: ImageProvider = {
      ...provider,
      capabilities: { ...provider.capabilities, references: 'urls' },
    };
    const { run } = await runOne(urlsOnly, { manifest: withReference() });
    expect(run.results[0]!.error!.message).toMatch(/takes references only as public URLs/);
    expect(server.creates).toBe(0);
  });
});

function withReference() {
  const manifest = manifestOf(1);
  manifest.images[0]!.references = ['https://example.test/mood.png', './style.png'];
  return manifest;
}
