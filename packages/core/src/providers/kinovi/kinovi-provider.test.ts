import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeKinovi, type FakeKinovi, type FakeKinoviOptions } from '@pixlock/fake-kinovi';
import { afterEach, describe, expect, it } from 'vitest';
import type { GenerationRequest, ImageProvider, TaskStatus, UrlOutput } from '../image-provider.js';
import { kinoviProvider } from './kinovi-provider.js';

const KEY = 'sk-live-provider-test-5f1c';
const ctx = { signal: new AbortController().signal };
let fake: FakeKinovi | undefined;
let dir: string | undefined;

afterEach(async () => {
  await fake?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  fake = dir = undefined;
});

async function setup(options: Partial<FakeKinoviOptions> = {}): Promise<ImageProvider> {
  fake = await startFakeKinovi({ apiKeys: [KEY], queueMs: 5, latencyMs: 10, ...options });
  dir = await mkdtemp(path.join(tmpdir(), 'pixlock-kinovi-'));
  return kinoviProvider({ apiKey: KEY, baseUrl: fake.baseUrl, pollIntervalMs: 5, timeoutMs: 5000 });
}

const request = (over: Partial<GenerationRequest> = {}): GenerationRequest => ({
  id: 'hero',
  model: 'nanobanana2',
  prompt: 'a lighthouse at dusk',
  seed: 42,
  aspectRatio: '16:9',
  resolution: '2k',
  references: [],
  ...over,
});

async function settle(p: ImageProvider, taskId: string): Promise<TaskStatus> {
  for (;;) {
    const status = await p.pollTask(taskId, request(), ctx);
    if (status.state !== 'pending') return status;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function generate(p: ImageProvider, req = request()) {
  const { taskId } = await p.createTask(req, ctx);
  const status = await settle(p, taskId);
  if (status.state !== 'success') throw new Error(`task ended ${JSON.stringify(status)}`);
  const file = path.join(dir!, 'out.download');
  const { mediaType } = await p.download(status.output as UrlOutput, file, ctx);
  return { taskId, status, mediaType, bytes: await readFile(file) };
}

describe('kinoviProvider against the fake API', () => {
  it('creates, polls and downloads an image, reporting the credits used', async () => {
    const p = await setup();
    const { status, mediaType, bytes } = await generate(p);
    expect(p.name).toBe('kinovi');
    expect(status).toMatchObject({ state: 'success', creditsUsed: 15 });
    expect(status.state === 'success' && (status.output as UrlOutput).url).toMatch(
      /^http:\/\/127\.0\.0\.1/,
    );
    expect(mediaType).toBe('image/png');
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(fake!.stats).toMatchObject({ creates: 1, creditsCharged: 15, downloads: 1 });
  });

  it('sends every parameter, references under both imageUrls and uploadedUrls', async () => {
    const p = await setup();
    const references = ['https://cdn.example/a.png', 'https://cdn.example/b.jpg'];
    await p.createTask(request({ negativePrompt: 'text, watermark', references }), ctx);
    await p.createTask(request({ id: 'plain', prompt: 'plain', negativePrompt: ' ' }), ctx);
    const [full, plain] = fake!.tasks();
    expect(full).toMatchObject({
      model: 'nanobanana2',
      prompt: 'a lighthouse at dusk',
      negativePrompt: 'text, watermark',
      aspectRatio: '16:9',
      resolution: '2k',
      seed: 42,
      imageUrls: references,
      uploadedUrls: references,
    });
    // Empty optional fields are left out rather than sent blank.
    expect(Object.keys(plain!.rawInputs).sort()).toEqual([
      'aspectRatio',
      'prompt',
      'resolution',
      'seed',
    ]);
  });

  it.each([
    ['{code, message, data} envelopes', { envelope: true }],
    ['task_id and state fields', { taskIdField: 'task_id', stateField: 'state' }],
    ['all variants together', { envelope: true, taskIdField: 'task_id', stateField: 'state' }],
  ] as const)('reads %s', async (_name, variant) => {
    const p = await setup(variant);
    const { status, bytes } = await generate(p);
    expect(status).toMatchObject({ state: 'success', creditsUsed: 15 });
    expect(bytes.length).toBeGreaterThan(100);
  });

  it('takes the media type the server declares, not the URL extension', async () => {
    const p = await setup({ mediaType: 'image/jpeg' });
    const { status, mediaType, bytes } = await generate(p);
    expect(status.state === 'success' && status.output).toMatchObject({
      mediaType: 'image/jpeg',
      url: expect.stringMatching(/\.png$/),
    });
    expect(mediaType).toBe('image/jpeg');
    expect(bytes[0]).toBe(0xff);
  });

  it.each([
    ['an {code, message} object', 'object', '2038'],
    ['a plain string', 'string', undefined],
  ] as const)('reports a failed task whose error is %s', async (_name, errorShape, code) => {
    const p = await setup({ failRate: 1, errorShape });
    const { taskId } = await p.createTask(request(), ctx);
    const status = await settle(p, taskId);
    expect(status).toEqual({
      state: 'failed',
      message: 'Generation failed: the model returned no image',
      ...(code && { code }),
    });
  });

  it('reports pending while the task waits or generates', async () => {
    const p = await setup({ queueMs: 200 });
    const { taskId } = await p.createTask(request(), ctx);
    expect(await p.pollTask(taskId, request(), ctx)).toEqual({ state: 'pending' });
  });
});
