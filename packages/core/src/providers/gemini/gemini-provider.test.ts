import { createServer } from 'node:net';
import { startFakeGemini, type FakeGemini, type FakeGeminiOptions } from '@pixlock/fake-gemini';
import { afterEach, describe, expect, it } from 'vitest';
import { isPixlockError } from '../../errors.js';
import { drive, fakeClock } from '../../engine/test-utils/fake-clock.js';
import { everything } from '../../test-utils/contract-subject.js';
import {
  FAST_FAKE,
  GEMINI_TEST_KEY,
  GEMINI_TEST_MODEL,
  testGeminiConfig,
} from '../../test-utils/gemini-harness.js';
import type { HttpDeps } from '../http/http-deps.js';
import type { GenerationRequest, ImageProvider, ProviderCallContext } from '../image-provider.js';
import type { GeminiConfig } from './gemini-config.js';
import { geminiProvider } from './gemini-provider.js';

let fake: FakeGemini | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const names: string[] = [];
const ctx: ProviderCallContext = {
  signal: new AbortController().signal,
  recordTask: (id) => (names.push(id), Promise.resolve()),
};
const request = (over: Partial<GenerationRequest> = {}): GenerationRequest => ({
  id: 'hero',
  model: GEMINI_TEST_MODEL,
  prompt: 'a lighthouse at dawn',
  seed: 7,
  aspectRatio: '1:1',
  resolution: '1k',
  references: [],
  ...over,
});

async function client(
  mode: 'interactive' | 'batch',
  options: Partial<FakeGeminiOptions> = {},
  config: Partial<GeminiConfig> = {},
  deps: Partial<HttpDeps> = {},
): Promise<{ fake: FakeGemini; provider: ImageProvider }> {
  fake = await startFakeGemini({ ...FAST_FAKE, apiKeys: [GEMINI_TEST_KEY], ...options });
  return { fake, provider: geminiProvider(testGeminiConfig(fake, mode, config), deps) };
}

/** Polls until the task ends; waits on the server's answers, asserts no time. */
async function polled(provider: ImageProvider, taskId: string, r = request()) {
  for (let i = 0; i < 2000; i++) {
    const status = await provider.pollTask(taskId, r, ctx);
    if (status.state !== 'pending') return status;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error('never ended');
}

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

describe('gemini batch: jobs found, shared and matched by key', () => {
  it('speaks v1 when told, on every route', async () => {
    const urls: string[] = [];
    const recording: Partial<HttpDeps> = {
      fetch: (input, init) => (urls.push(String(input)), fetch(input, init)),
    };
    for (const mode of ['interactive', 'batch'] as const) {
      const { provider } = await client(mode, {}, { apiVersion: 'v1' }, recording);
      const { taskId, status } = await provider.createTask(request(), ctx);
      expect((status ?? (await polled(provider, taskId))).state).toBe('success');
      await fake!.close();
    }
    expect(urls.length).toBeGreaterThan(2);
    expect(urls.every((u) => u.includes('/v1/') && !u.includes('v1beta'))).toBe(true);
  });

  it('shares one GET among the tasks of a job, and matches its answers by key', async () => {
    const { fake, provider } = await client('batch', { batchQueueMs: 30 });
    const requests = ['one', 'two', 'three'].map((prompt, i) =>
      request({ id: prompt, prompt, seed: i }),
    );
    const created = await Promise.all(requests.map((r) => provider.createTask(r, ctx)));
    expect(new Set(created.map((c) => c.taskId.split('#')[0])).size).toBe(1);
    const polls = fake.stats.batchPolls;
    await Promise.all(created.map((c, i) => provider.pollTask(c.taskId, requests[i]!, ctx)));
    expect(fake.stats.batchPolls - polls).toBe(1);
    const ended = await Promise.all(created.map((c, i) => polled(provider, c.taskId, requests[i])));
    expect(ended.map((s) => s.state)).toEqual(['success', 'success', 'success']);
    // Each image is its own prompt's: by key, whatever the order of the lines.
    const byKey = new Map(fake.generations().map((g) => [g.key, g.prompt]));
    created.forEach((c, i) => expect(byKey.get(c.taskId.split('#')[1])).toBe(requests[i]!.prompt));
  });

  it('refuses answers it cannot match to their requests rather than swap two images', async () => {
    const { fake, provider } = await client('batch');
    const { taskId } = await provider.createTask(request(), ctx);
    const name = taskId.split('#')[0];
    const response = {
      candidates: [{ content: { parts: [{ text: 'x' }] }, finishReason: 'STOP' }],
    };
    fake.injectOnce({
      route: 'batchGet',
      status: 200,
      body: {
        name,
        metadata: {
          state: 'BATCH_STATE_SUCCEEDED',
          output: { inlinedResponses: { inlinedResponses: [{ response }, { response }] } },
        },
      },
    });
    expect(await provider.pollTask(taskId, request(), ctx)).toMatchObject({
      state: 'failed',
      code: 'UNMATCHED',
    });
  });

  it('reads a responses file again after a fault, and takes each image once', async () => {
    const { fake, provider } = await client('batch');
    const requests = ['one', 'two'].map((prompt, i) => request({ id: prompt, prompt, seed: i }));
    const created = await Promise.all(requests.map((r) => provider.createTask(r, ctx)));
    await fake.finishBatches();
    fake.injectOnce({ route: 'download', kind: 'truncate' });
    const first = await provider
      .pollTask(created[0]!.taskId, requests[0]!, ctx)
      .catch((e: unknown) => e);
    expect(isPixlockError(first, 'PROVIDER_UNAVAILABLE')).toBe(true);
    const ended = await Promise.all(created.map((c, i) => polled(provider, c.taskId, requests[i])));
    expect(ended.map((s) => s.state)).toEqual(['success', 'success']);
    expect(fake.stats.downloads).toBe(2);
  });

  it('tells a job never submitted from one not listed yet, by the time since it was named', async () => {
    const clock = fakeClock(Date.UTC(2026, 11, 4, 10, 0, 0));
    const { provider } = await client('batch', {}, {}, { clock });
    const taskId = 'pixlock-20261204T100000Z-0123abcd-1#0';
    const young = await provider.pollTask(taskId, request(), ctx).catch((e: unknown) => e);
    expect(isPixlockError(young, 'PROVIDER_UNAVAILABLE')).toBe(true);
    await clock.advance(121_000);
    const lost = await provider.pollTask(taskId, request(), ctx).catch((e: unknown) => e);
    expect(isPixlockError(lost, 'PROVIDER_TASK_LOST')).toBe(true);
    expect((lost as Error).message).toContain('was never submitted');
    for (const hostile of ['batches/../../files/x#0', 'pixlock-x#0', 'nothing', 'batches/a#b']) {
      expect(
        isPixlockError(
          await provider.pollTask(hostile, request(), ctx).catch((e: unknown) => e),
          'PROVIDER_TASK_LOST',
        ),
      ).toBe(true);
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
