import { inspect } from 'node:util';
import { startFakeKinovi, type FakeKinovi, type FakeKinoviOptions } from '@pixlock/fake-kinovi';
import { afterEach, describe, expect, it } from 'vitest';
import { PixlockError } from '../../errors.js';
import type { GenerationRequest, ImageProvider } from '../image-provider.js';
import type { KinoviConfig } from './kinovi-config.js';
import { kinoviProvider } from './kinovi-provider.js';

const KEY = 'sk-live-errors-test-3c8f01';
const ctx = { signal: new AbortController().signal };
let fake: FakeKinovi | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(
  options: Partial<FakeKinoviOptions> = {},
  config: Partial<KinoviConfig> = {},
): Promise<ImageProvider> {
  fake = await startFakeKinovi({ apiKeys: [KEY], queueMs: 5, latencyMs: 10, ...options });
  return kinoviProvider({
    apiKey: KEY,
    baseUrl: fake.baseUrl,
    pollIntervalMs: 5,
    timeoutMs: 5000,
    retry: { attempts: 3, baseMs: 1, capMs: 4 },
    ...config,
  });
}

const request = (over: Partial<GenerationRequest> = {}): GenerationRequest => ({
  id: 'hero',
  model: 'nanobanana2',
  prompt: 'a lighthouse',
  seed: 7,
  aspectRatio: '1:1',
  resolution: '2k',
  references: [],
  ...over,
});

/** The PixlockError a call rejects with; also checks the key leaks nowhere in it. */
async function failure(promise: Promise<unknown>): Promise<PixlockError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PixlockError);
  expect(inspect(error, { depth: Infinity, showHidden: true })).not.toContain(KEY);
  expect(JSON.stringify((error as PixlockError).extra.details ?? {})).not.toContain(KEY);
  return error as PixlockError;
}

describe('kinovi error mapping', () => {
  it('400: PROVIDER_BAD_REQUEST with the server message and errors', async () => {
    const p = await setup({ reject1k: true });
    const e = await failure(p.createTask(request({ resolution: '1k' }), ctx));
    expect(e.code).toBe('PROVIDER_BAD_REQUEST');
    expect(e.message).toMatch(/^hero: .*Invalid parameters.*inputs\.resolution: resolution must/);
    expect(e.extra.details?.errors).toEqual([
      { field: 'inputs.resolution', message: 'resolution must be one of 2k, 4k' },
    ]);
    expect(fake!.stats.createCalls).toBe(1);
  });

  it.each<[string, Partial<FakeKinoviOptions>, string]>([
    ['an unknown key', { apiKeys: ['someone-else'] }, 'Invalid API Key'],
    ['an expired key', { expiredKeys: [KEY] }, 'API Key has expired'],
    ['an inactive key', { inactiveKeys: [KEY] }, 'API Key is inactive'],
    ['disabled API access (403)', { accessEnabled: false }, 'API access not enabled'],
  ])('401/403 for %s: PROVIDER_AUTH saying how to set the key', async (_n, o, text) => {
    const p = await setup(o);
    const e = await failure(p.createTask(request(), ctx));
    expect(e.code).toBe('PROVIDER_AUTH');
    expect(e.message).toContain(`hero: `);
    expect(e.message).toContain(text);
    expect(e.message).toContain('export KINOVI_API_KEY=...');
    expect(fake!.stats.createCalls).toBe(1);
  });

  it.each([false, true])(
    '402: PROVIDER_CREDITS with required and available (envelope %s)',
    async (envelope) => {
      const p = await setup({ credits: 10, envelope });
      const e = await failure(p.createTask(request({ resolution: '4k' }), ctx));
      expect(e.code).toBe('PROVIDER_CREDITS');
      expect(e.message).toContain('hero: not enough kinovi credits: 25 required, 10 available');
      expect(e.extra.details).toMatchObject({ required: 25, available: 10 });
    },
  );

  it('404 on a poll: PROVIDER_TASK_LOST', async () => {
    const p = await setup();
    const e = await failure(p.pollTask('task_gone', request(), ctx));
    expect(e.code).toBe('PROVIDER_TASK_LOST');
    expect(e.message).toContain('hero: kinovi does not know task task_gone');
  });

  it('429 on create without Retry-After: PROVIDER_RATE_LIMITED, not retried, not charged', async () => {
    const p = await setup({ concurrencyLimit: 0 });
    const e = await failure(p.createTask(request(), ctx));
    expect(e.code).toBe('PROVIDER_RATE_LIMITED');
    expect(e.extra.retryAfterMs).toBeUndefined();
    expect(e.message).toContain('limit 0');
    expect(fake!.stats).toMatchObject({
      createCalls: 1,
      creates429: 1,
      creates: 0,
      creditsCharged: 0,
    });
  });

  it('429 with Retry-After in seconds or as an HTTP date gives retryAfterMs', async () => {
    const p = await setup({ concurrencyLimit: 0, retryAfterSeconds: 7 });
    expect((await failure(p.createTask(request(), ctx))).extra.retryAfterMs).toBe(7000);
    const date = new Date(Date.now() + 30_000).toUTCString();
    fake!.injectOnce({ route: 'createTask', status: 429, headers: { 'Retry-After': date } });
    const ms = (await failure(p.createTask(request(), ctx))).extra.retryAfterMs;
    expect(ms).toBeGreaterThan(27_000);
    expect(ms).toBeLessThanOrEqual(30_000);
    expect(fake!.stats).toMatchObject({ createCalls: 2, creates: 0, creditsCharged: 0 });
  });

  it('keeps the key out of errors even when the server echoes it', async () => {
    const p = await setup();
    fake!.injectOnce({
      route: 'createTask',
      status: 401,
      body: { message: `Invalid API Key ${KEY}`, key: KEY },
    });
    const e = await failure(p.createTask(request(), ctx));
    expect(e.message).toContain('Invalid API Key [redacted]');
    fake!.injectOnce({ route: 'recordInfo', status: 400, body: `bad ${KEY}` });
    await failure(p.pollTask('t', request(), ctx));
  });
});
