import { inspect } from 'node:util';
import { startFakeKinovi, type FakeKinovi, type FakeKinoviOptions } from '@pixlock/fake-kinovi';
import { afterEach, describe, expect, it } from 'vitest';
import { PixlockError } from '../../errors.js';
import type { GenerationRequest, ImageProvider } from '../image-provider.js';
import type { KinoviConfig } from './kinovi-config.js';
import { kinoviProvider } from './kinovi-provider.js';

const KEY = 'sk-live-http-test-9d2e7a';
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

describe('kinovi retries', () => {
  it('retries 5xx on create and succeeds', async () => {
    const p = await setup();
    fake!.injectOnce({ route: 'createTask', status: 500 });
    fake!.injectOnce({ route: 'createTask', status: 503 });
    const { taskId } = await p.createTask(request(), ctx);
    expect(taskId).toMatch(/^task_/);
    expect(fake!.stats).toMatchObject({ createCalls: 3, creates5xx: 2, creates: 1 });
  });

  it('gives up on a 500 that does not go away: PROVIDER_UNAVAILABLE', async () => {
    const p = await setup({ rate500: 1 });
    const e = await failure(p.createTask(request(), ctx));
    expect(e.code).toBe('PROVIDER_UNAVAILABLE');
    expect(e.message).toBe('hero: kinovi createTask: 500 Internal error (after 3 attempts)');
    expect(fake!.stats).toMatchObject({ createCalls: 3, creates: 0 });
  });

  it('retries polls through 500, 429 and a dropped socket', async () => {
    const p = await setup({}, { retry: { attempts: 4, baseMs: 1, capMs: 4 } });
    const { taskId } = await p.createTask(request(), ctx);
    fake!.injectOnce({ route: 'recordInfo', status: 500 });
    fake!.injectOnce({ route: 'recordInfo', status: 429, headers: { 'Retry-After': '0' } });
    fake!.injectOnce({ route: 'recordInfo', kind: 'drop' });
    expect((await p.pollTask(taskId, request(), ctx)).state).toMatch(/pending|success/);
    expect(fake!.stats.polls).toBe(4);
  });

  it('does not resend a create whose answer was lost after the server took it', async () => {
    const p = await setup();
    fake!.injectOnce({ route: 'createTask', kind: 'drop', afterProcessing: true });
    const e = await failure(p.createTask(request(), ctx));
    expect(e.code).toBe('PROVIDER_UNAVAILABLE');
    expect(e.message).toContain('may have created and charged the task');
    expect(fake!.stats).toMatchObject({ createCalls: 1, creates: 1 });
  });

  it('retries a create the network never delivered, then PROVIDER_UNAVAILABLE', async () => {
    const p = await setup();
    await fake!.close();
    const e = await failure(p.createTask(request(), ctx));
    expect(e.code).toBe('PROVIDER_UNAVAILABLE');
    expect(e.message).toMatch(
      /^hero: cannot reach kinovi createTask \(ECONNREFUSED.*after 3 attempts/,
    );
  });

  it('stops retrying at once when aborted, rejecting with the abort reason', async () => {
    const p = await setup(
      { rate500: 1 },
      { retry: { attempts: 5, baseMs: 60_000, capMs: 60_000 } },
    );
    const controller = new AbortController();
    const reason = new Error('user pressed ctrl-c');
    const started = Date.now();
    setTimeout(() => controller.abort(reason), 50);
    const error = await p.createTask(request(), { signal: controller.signal }).catch((e) => e);
    expect(error).toBe(reason);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(fake!.stats.createCalls).toBe(1);
    const again = await p.pollTask('t', request(), { signal: controller.signal }).catch((e) => e);
    expect(again).toBe(reason);
    expect(fake!.stats.polls).toBe(0);
  });
});
