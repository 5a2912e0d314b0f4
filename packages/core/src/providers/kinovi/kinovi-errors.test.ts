import type { FakeKinoviOptions } from '@pixlock/fake-kinovi';
import { describe, expect, it } from 'vitest';
import { ctx, kinoviClientHarness, request } from '../../test-utils/kinovi-client.js';

const KEY = 'sk-live-errors-test-3c8f01';
const kinovi = kinoviClientHarness(KEY);
const { setup, failure } = kinovi;

describe('kinovi error mapping', () => {
  it('400: PROVIDER_BAD_REQUEST with the server message and errors', async () => {
    const p = await setup({ reject1k: true });
    const e = await failure(p.createTask(request({ resolution: '1k' }), ctx));
    expect(e.code).toBe('PROVIDER_BAD_REQUEST');
    expect(e.message).toMatch(/^hero: .*Invalid parameters.*inputs\.resolution: resolution must/);
    expect(e.extra.details?.errors).toEqual([
      { field: 'inputs.resolution', message: 'resolution must be one of 2k, 4k' },
    ]);
    expect(kinovi.fake!.stats.createCalls).toBe(1);
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
    expect(kinovi.fake!.stats.createCalls).toBe(1);
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
    expect(kinovi.fake!.stats).toMatchObject({
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
    kinovi.fake!.injectOnce({ route: 'createTask', status: 429, headers: { 'Retry-After': date } });
    const ms = (await failure(p.createTask(request(), ctx))).extra.retryAfterMs;
    expect(ms).toBeGreaterThan(27_000);
    expect(ms).toBeLessThanOrEqual(30_000);
    expect(kinovi.fake!.stats).toMatchObject({ createCalls: 2, creates: 0, creditsCharged: 0 });
  });

  it('keeps the key out of errors even when the server echoes it', async () => {
    const p = await setup();
    kinovi.fake!.injectOnce({
      route: 'createTask',
      status: 401,
      body: { message: `Invalid API Key ${KEY}`, key: KEY },
    });
    const e = await failure(p.createTask(request(), ctx));
    expect(e.message).toContain('Invalid API Key [redacted]');
    kinovi.fake!.injectOnce({ route: 'recordInfo', status: 400, body: `bad ${KEY}` });
    await failure(p.pollTask('t', request(), ctx));
  });
});
