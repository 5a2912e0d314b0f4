import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeKinovi, type FakeKinovi } from '@pixlock/fake-kinovi';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PixlockError } from '../../errors.js';
import type { KinoviConfig } from './kinovi-config.js';
import type { GenerationRequest, ImageProvider, UrlOutput } from '../image-provider.js';
import { kinoviProvider } from './kinovi-provider.js';

const KEY = 'sk-live-download-test-41b0';
const ctx = { signal: new AbortController().signal };
let fake: FakeKinovi;
let dir: string;
let output: UrlOutput;
let dest: string;
/** Authorization headers seen per URL, through a wrapper around the real fetch. */
const sentAuth: (string | null)[] = [];

beforeEach(async () => {
  fake = await startFakeKinovi({ apiKeys: [KEY], queueMs: 1, latencyMs: 1 });
  dir = await mkdtemp(path.join(tmpdir(), 'pixlock-download-'));
  dest = path.join(dir, 'image.download');
  sentAuth.length = 0;
  const p = provider();
  const request: GenerationRequest = {
    id: 'hero',
    model: 'nanobanana2',
    prompt: 'p',
    seed: 1,
    aspectRatio: '1:1',
    resolution: '1k',
    references: [],
  };
  const { taskId } = await p.createTask(request, ctx);
  for (;;) {
    const status = await p.pollTask(taskId, request, ctx);
    if (status.state === 'success') {
      output = status.output as UrlOutput;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  sentAuth.length = 0;
});

afterEach(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

function provider(config: Partial<KinoviConfig> = {}, dropLength = false): ImageProvider {
  const tracking: typeof fetch = async (input, init) => {
    sentAuth.push(new Headers(init?.headers).get('authorization'));
    const res = await fetch(input, init);
    if (!dropLength) return res;
    // Same bytes without Content-Length, as a chunked CDN answer would come.
    const headers = new Headers(res.headers);
    headers.delete('content-length');
    return new Response(res.body, { status: res.status, headers });
  };
  const base = { apiKey: KEY, baseUrl: fake.baseUrl, pollIntervalMs: 5, timeoutMs: 5000 };
  return kinoviProvider({ ...base, ...config }, { fetch: tracking });
}

async function rejected(promise: Promise<unknown>): Promise<PixlockError> {
  const error = await promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PixlockError);
  expect(existsSync(dest)).toBe(false);
  return error as PixlockError;
}

describe('kinovi download', () => {
  it('streams the image to the destination without sending the key', async () => {
    const { mediaType } = await provider().download(output, dest, ctx);
    expect(mediaType).toBe('image/png');
    expect((await readFile(dest)).subarray(1, 4).toString()).toBe('PNG');
    expect(sentAuth).toEqual([null]);
  });

  it('404: DOWNLOAD_INVALID "not found"', async () => {
    fake.injectOnce({ route: 'download', status: 404 });
    const e = await rejected(provider().download(output, dest, ctx));
    expect(e).toMatchObject({
      code: 'DOWNLOAD_INVALID',
      message: expect.stringContaining('404 (not found)'),
    });
  });

  it('a body cut short of its Content-Length: DOWNLOAD_INVALID, partial file removed', async () => {
    fake.injectOnce({ route: 'download', kind: 'truncate', afterProcessing: true });
    const e = await rejected(provider().download(output, dest, ctx));
    expect(e.code).toBe('DOWNLOAD_INVALID');
    expect(e.message).toMatch(/cut off|truncated/);
  });

  it('an HTML error page with status 200: DOWNLOAD_INVALID', async () => {
    fake.injectOnce({ route: 'download', kind: 'html' });
    const e = await rejected(provider().download(output, dest, ctx));
    expect(e.code).toBe('DOWNLOAD_INVALID');
    expect(e.message).toContain('text/html');
  });

  it('over the size cap, declared or counted while streaming: DOWNLOAD_INVALID', async () => {
    const declared = await rejected(
      provider({ maxDownloadBytes: 100 }).download(output, dest, ctx),
    );
    expect(declared).toMatchObject({
      code: 'DOWNLOAD_INVALID',
      message: expect.stringContaining('over the 100 byte limit'),
    });
    const counted = await rejected(
      provider({ maxDownloadBytes: 100 }, true).download(output, dest, ctx),
    );
    expect(counted).toMatchObject({
      code: 'DOWNLOAD_INVALID',
      message: expect.stringContaining('exceeded the 100 byte limit'),
    });
  });

  it('a 5xx from the CDN: PROVIDER_UNAVAILABLE (the engine retries it)', async () => {
    fake.injectOnce({ route: 'download', status: 503 });
    expect((await rejected(provider().download(output, dest, ctx))).code).toBe(
      'PROVIDER_UNAVAILABLE',
    );
  });

  it('an abort rejects with its reason and leaves no file', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    controller.abort(reason);
    const error = await provider()
      .download(output, dest, { signal: controller.signal })
      .catch((e) => e);
    expect(error).toBe(reason);
    expect(existsSync(dest)).toBe(false);
  });

  it('refuses URLs that are not http(s)', async () => {
    const e = await rejected(provider().download({ url: 'file:///etc/passwd' }, dest, ctx));
    expect(e.code).toBe('DOWNLOAD_INVALID');
  });
});
