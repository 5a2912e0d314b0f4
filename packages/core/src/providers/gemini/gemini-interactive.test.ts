import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isPixlockError } from '../../errors.js';
import { drive, fakeClock } from '../../engine/test-utils/fake-clock.js';
import { everything } from '../../test-utils/contract-subject.js';
import {
  GEMINI_TEST_KEY,
  GEMINI_TEST_MODEL,
  testGeminiConfig,
} from '../../test-utils/gemini-harness.js';
import { geminiClients } from '../../test-utils/gemini-clients.js';
import { geminiProvider } from './gemini-provider.js';

const clients = geminiClients();
afterEach(() => clients.close());
const { client, ctx, request } = clients;

describe('gemini interactive: what may have been paid is never sent twice', () => {
  it('fails a blocked prompt, a withheld image and a text-only answer with the reason, sending each once', async () => {
    const { fake, provider } = await client('interactive');
    const ended = async (prompt: string) =>
      (await provider.createTask(request({ prompt }), ctx)).status;
    expect(await ended('a fake:block scene')).toMatchObject({
      state: 'failed',
      code: 'SAFETY',
      message: 'Gemini blocked the prompt (SAFETY); no image was made',
    });
    expect(await ended('a fake:unsafe scene')).toMatchObject({
      state: 'failed',
      code: 'IMAGE_SAFETY',
    });
    fake.configure({ noImageRate: 1 });
    expect(await ended('anything')).toMatchObject({
      state: 'failed',
      code: 'NO_IMAGE',
      message: expect.stringContaining("I can't draw that"),
    });
    expect(fake.stats.generateCalls).toBe(3);
  });

  it('takes the answer, not the draft: thought parts and text parts are passed over', async () => {
    const { fake, provider } = await client('interactive', { thoughtPart: true, textPart: true });
    const { status } = await provider.createTask(request(), ctx);
    if (status?.state !== 'success' || !('bytes' in status.output)) throw new Error('no image');
    // The fake paints the draft and the answer apart; ask it again for the same seed, raw.
    const raw = await fetch(`${fake.baseUrl}/v1beta/models/${GEMINI_TEST_MODEL}:generateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': GEMINI_TEST_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({
        contents: [{ parts: [{ text: 'a lighthouse at dawn' }] }],
        generationConfig: {
          responseModalities: ['IMAGE'],
          imageConfig: { aspectRatio: '1:1', imageSize: '1K' },
          seed: 7,
        },
      }),
    }).then(
      (r) =>
        r.json() as Promise<{
          candidates: {
            content: { parts: { thought?: boolean; inlineData?: { data: string } }[] };
          }[];
        }>,
    );
    const parts = raw.candidates[0]!.content.parts.filter((p) => p.inlineData);
    expect(parts.map((p) => p.thought === true)).toEqual([true, false]);
    expect(status.output.bytes.toString('base64')).toBe(parts[1]!.inlineData!.data);
  });

  it('retries what surely was not charged: a 503, and a connection never made', async () => {
    const { fake, provider } = await client(
      'interactive',
      {},
      { retry: { attempts: 3, baseMs: 1, capMs: 2 } },
    );
    fake.injectOnce({ route: 'generateContent', status: 503 });
    expect((await provider.createTask(request(), ctx)).status?.state).toBe('success');
    expect(fake.stats.generateCalls).toBe(2);
    expect(fake.stats.paidByPrompt['a lighthouse at dawn']).toBe(1);

    const port = await freePort();
    const refused = geminiProvider({
      ...testGeminiConfig(fake, 'interactive'),
      root: `http://127.0.0.1:${port}`,
      retry: { attempts: 2, baseMs: 1, capMs: 1 },
    });
    const error = await refused.createTask(request(), ctx).catch((e: unknown) => e);
    expect(isPixlockError(error, 'PROVIDER_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toMatch(/ECONNREFUSED.*\(after 2 attempts\)/);
  });

  it("gives a 429 back with RetryInfo's delay, for the engine to wait and lower its concurrency", async () => {
    const { fake, provider } = await client('interactive', { retryDelaySeconds: 54 });
    fake.injectOnce({ route: 'generateContent', status: 429 });
    const error = await provider.createTask(request(), ctx).catch((e: unknown) => e);
    expect(isPixlockError(error, 'PROVIDER_RATE_LIMITED')).toBe(true);
    expect((error as { extra: { retryAfterMs?: number } }).extra.retryAfterMs).toBe(54_000);
    expect(fake.stats.generateCalls).toBe(1);
  });

  it('says an answer lost, cut off or unreadable after sending may have been charged, and sends it once', async () => {
    const { fake, provider } = await client(
      'interactive',
      {},
      { retry: { attempts: 5, baseMs: 1, capMs: 1 } },
    );
    for (const fault of [
      { kind: 'drop' as const, afterProcessing: true },
      { kind: 'truncate' as const, afterProcessing: true },
      { kind: 'malformed' as const },
      { status: 504 },
    ]) {
      const before = fake.stats.generateCalls;
      fake.injectOnce({ route: 'generateContent', ...fault });
      const error = await provider.createTask(request(), ctx).catch((e: unknown) => e);
      expect(isPixlockError(error, 'PROVIDER_CREATE_UNCONFIRMED')).toBe(true);
      expect((error as Error).message).toContain('Google may have made and charged it');
      expect(fake.stats.generateCalls - before).toBe(1);
    }
  });

  it('times a trickling answer on the injected clock: unknown outcome, never sent again', async () => {
    const clock = fakeClock();
    const { fake, provider } = await client(
      'interactive',
      { jsonTrickleBytesPerSecond: 5 },
      { timeoutMs: 60_000 },
      { clock },
    );
    const error = await drive(
      clock,
      provider.createTask(request(), ctx).catch((e: unknown) => e),
      5_000,
    );
    expect(isPixlockError(error, 'PROVIDER_CREATE_UNCONFIRMED')).toBe(true);
    expect((error as Error).message).toContain('no answer within 60000 ms');
    expect(fake.stats.generateCalls).toBe(1);
  });

  it('follows no redirect: the key goes to the root only, and a Location naming it is redacted', async () => {
    const { fake, provider } = await client('interactive');
    fake.injectOnce({
      route: 'generateContent',
      status: 307,
      headers: { location: `https://elsewhere.example/?key=${GEMINI_TEST_KEY}` },
    });
    const error = await provider.createTask(request(), ctx).catch((e: unknown) => e);
    expect(isPixlockError(error, 'PROVIDER_BAD_REQUEST')).toBe(true);
    expect((error as Error).message).toContain(
      'a redirect to https://elsewhere.example/?key=[redacted]',
    );
    expect(everything(error)).not.toContain(GEMINI_TEST_KEY);
  });

  it('never shows its key, however the server echoes it', async () => {
    for (const echoKey of ['raw', 'url-encoded', 'debug-info'] as const) {
      const { fake, provider } = await client('interactive', { echoKey, hostileText: true });
      fake.injectOnce({ route: 'generateContent', status: 400 });
      const echoed = await provider.createTask(request(), ctx).catch((e: unknown) => e);
      fake.configure({ apiKeys: ['AIza-someone-else'] });
      const refused = await provider.createTask(request(), ctx).catch((e: unknown) => e);
      expect(isPixlockError(refused, 'PROVIDER_AUTH')).toBe(true);
      for (const error of [echoed, refused]) {
        const text = everything(error);
        expect(text).not.toContain(GEMINI_TEST_KEY);
        expect(text).not.toContain(encodeURIComponent(GEMINI_TEST_KEY));
        // eslint-disable-next-line no-control-regex -- no terminal escape may reach a message
        expect((error as Error).message).not.toMatch(/[\u0000-\u001f\u007f]/);
      }
      await fake.close();
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
