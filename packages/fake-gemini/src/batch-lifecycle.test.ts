import sharp from 'sharp';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { colorFor } from '@pixlock/fake-http-kit';
import { geminiHttp, imageRequest, imagesOf } from './test-utils/gemini-http.js';
import type { JsonAnswer } from './test-utils/gemini-http.js';
import { startedFakes } from './test-utils/started-fakes.js';

const start = startedFakes({ batchQueueMs: 5, batchRunMs: 5 });
const small = (prompt: string) => imageRequest(prompt, { imageSize: '512' });
const inline = (prompts: string[], displayName = 'nightly') => ({
  displayName,
  inputConfig: {
    requests: {
      requests: prompts.map((p, i) => ({ request: small(p), metadata: { key: `k${i}` } })),
    },
  },
});
const meta = (a: JsonAnswer) => a.body.metadata as Record<string, unknown>;
const inlined = (a: JsonAnswer) =>
  (meta(a).output as { inlinedResponses: { inlinedResponses: Record<string, unknown>[] } })
    .inlinedResponses.inlinedResponses;

async function backgroundOf(bytes: Buffer) {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  const at = info.width * (info.height - 1) * info.channels;
  return { r: data[at], g: data[at + 1], b: data[at + 2] };
}

describe('a batch with inline requests', () => {
  it('answers the operation, goes PENDING → RUNNING → SUCCEEDED on its clock, results in order', async () => {
    const gemini = await start({ batchQueueMs: 1000, batchRunMs: 3000 });
    const http = geminiHttp(gemini);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    onTestFinished(() => void vi.useRealTimers());
    const created = await http.createBatch(inline(['one', 'two', 'three']));
    expect(created.status).toBe(200);
    const name = created.body.name as string;
    expect(name).toMatch(/^batches\/[0-9a-f]+$/);
    expect(created.body).not.toHaveProperty('done');
    expect(meta(created)).toMatchObject({
      '@type': 'type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch',
      model: 'models/gemini-3.1-flash-image',
      displayName: 'nightly',
      state: 'BATCH_STATE_PENDING',
      batchStats: { requestCount: '3', pendingRequestCount: '3' },
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(meta(await http.get(name)).state).toBe('BATCH_STATE_PENDING');
    await vi.advanceTimersByTimeAsync(1);
    expect(meta(await http.get(name)).state).toBe('BATCH_STATE_RUNNING');
    await vi.advanceTimersByTimeAsync(2999);
    expect(meta(await http.get(name)).state).toBe('BATCH_STATE_RUNNING');
    expect(gemini.stats.batchRequestsCharged).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    vi.useRealTimers();
    // Leaving RUNNING renders the images (real I/O, no timers): poll until it is done.
    const done = await http.settle(name);
    expect(done.body).toMatchObject({
      done: true,
      response: { '@type': expect.stringContaining('GenerateContentBatchOutput') },
    });
    expect(meta(done)).toMatchObject({
      state: 'BATCH_STATE_SUCCEEDED',
      batchStats: { requestCount: '3', successfulRequestCount: '3', failedRequestCount: '0' },
      endTime: expect.any(String),
    });
    const responses = inlined(done);
    expect(responses).toHaveLength(3);
    // No metadata echoed by default (reported of the real API); the order is the requests'.
    expect(responses.every((r) => !('metadata' in r))).toBe(true);
    for (const [i, prompt] of ['one', 'two', 'three'].entries()) {
      const [image] = imagesOf(responses[i]?.response as Record<string, unknown>);
      expect(await backgroundOf(image?.bytes as Buffer)).toEqual(colorFor(prompt));
    }
    expect(gemini.stats).toMatchObject({
      batchesCreated: 1,
      batchRequestsCharged: 3,
      usdCharged: 0.0675,
    });
    expect({ ...gemini.stats.chargedByBatch }).toEqual({ [name]: 3 });
    expect({ ...gemini.stats.paidByPrompt }).toEqual({ one: 1, two: 1, three: 1 });
    expect(gemini.generations().map((g) => [g.mode, g.batch, g.index, g.metadata])).toEqual([
      ['batch', name, 0, { key: 'k0' }],
      ['batch', name, 1, { key: 'k1' }],
      ['batch', name, 2, { key: 'k2' }],
    ]);
  });

  it('some requests fail (scripted, random or invalid): only they carry an error, and are not charged', async () => {
    const gemini = await start();
    const http = geminiHttp(gemini);
    gemini.injectBatchFate({ failRequests: [1] });
    const requests = inline(['a', 'b', 'c', 'd']);
    (requests.inputConfig.requests.requests[3] as { request: unknown }).request = imageRequest(
      'd',
      { imageSize: '9K' },
    );
    const done = await http.settle((await http.createBatch(requests)).body.name as string);
    const responses = inlined(done);
    expect(responses.map((r) => Object.keys(r)[0])).toEqual([
      'response',
      'error',
      'response',
      'error',
    ]);
    expect(responses[1]?.error).toMatchObject({ code: 13 });
    expect(responses[3]?.error).toMatchObject({
      code: 3,
      message: expect.stringContaining('image_size'),
    });
    expect(meta(done).batchStats).toMatchObject({
      successfulRequestCount: '2',
      failedRequestCount: '2',
    });
    expect({ ...gemini.stats.paidByPrompt }).toEqual({ a: 1, c: 1 });
  });

  it('lies when asked: shuffled responses, metadata echoed', async () => {
    const gemini = await start({ echoInlineMetadata: true });
    const http = geminiHttp(gemini);
    gemini.injectBatchFate({ shuffle: true });
    const prompts = Array.from({ length: 8 }, (_, i) => `p${i}`);
    const done = await http.settle((await http.createBatch(inline(prompts))).body.name as string);
    const keys = inlined(done).map((r) => (r.metadata as { key: string }).key);
    expect([...keys].sort()).toEqual(prompts.map((_, i) => `k${i}`));
    expect(keys).not.toEqual(prompts.map((_, i) => `k${i}`));
  });

  it('ends FAILED or EXPIRED without output or charge; a cancelled batch stops', async () => {
    const gemini = await start({ batchQueueMs: 60_000 });
    const http = geminiHttp(gemini);
    gemini.injectBatchFate({ end: 'BATCH_STATE_FAILED', queueMs: 0 });
    gemini.injectBatchFate({ end: 'BATCH_STATE_EXPIRED', queueMs: 0 });
    const failed = await http.settle((await http.createBatch(inline(['x']))).body.name as string);
    expect(failed.body).toMatchObject({ done: true, error: { code: 13 } });
    expect(meta(failed)).toMatchObject({ state: 'BATCH_STATE_FAILED' });
    expect(meta(failed)).not.toHaveProperty('output');
    const expired = await http.settle((await http.createBatch(inline(['y']))).body.name as string);
    expect(meta(expired).state).toBe('BATCH_STATE_EXPIRED');

    gemini.injectBatchFate({ queueMs: 0, runMs: 60_000 });
    const running = (await http.createBatch(inline(['r']))).body.name as string;
    await vi.waitFor(async () =>
      expect(meta(await http.get(running)).state).toBe('BATCH_STATE_RUNNING'),
    );
    await http.post(`${running}:cancel`, {});
    const cancelled = await http.get(running);
    expect(cancelled.body).toMatchObject({ done: true });
    expect(meta(cancelled)).toMatchObject({
      state: 'BATCH_STATE_CANCELLED',
      endTime: expect.any(String),
    });
    const slow = (await http.createBatch(inline(['z']))).body.name as string;
    expect(await http.post(`${slow}:cancel`, {})).toMatchObject({ status: 200, body: {} });
    expect(meta(await http.get(slow)).state).toBe('BATCH_STATE_CANCELLED');
    expect(gemini.stats).toMatchObject({
      batchesCreated: 4,
      batchesCancelled: 2,
      batchRequestsCharged: 0,
      usdCharged: 0,
    });
  });
});

describe('listing, deleting, refusing', () => {
  it('lists the caller’s batches with displayName, page by page; a deleted batch is 404', async () => {
    const gemini = await start({ listPageSize: 2 });
    const http = geminiHttp(gemini);
    const names: string[] = [];
    for (const d of ['a', 'b', 'c'])
      names.push((await http.createBatch(inline(['p'], d))).body.name as string);
    const first = await http.get('batches?pageSize=5');
    const ops = first.body.operations as { name: string; metadata: { displayName: string } }[];
    expect(ops.map((o) => o.metadata.displayName)).toEqual(['a', 'b']);
    const second = await http.get(`batches?pageToken=${first.body.nextPageToken as string}`);
    expect((second.body.operations as { name: string }[]).map((o) => o.name)).toEqual([names[2]]);
    expect(second.body).not.toHaveProperty('nextPageToken');
    expect((await http.del(names[0] as string)).status).toBe(200);
    expect(await http.get(names[0] as string)).toMatchObject({
      status: 404,
      body: { error: { status: 'NOT_FOUND' } },
    });
  });

  it('400 for a malformed create, an inline batch over its size limit; 404 for an unknown model', async () => {
    const gemini = await start({ maxBatchInlineBytes: 600 });
    const http = geminiHttp(gemini);
    expect((await http.createBatch({ displayName: 'x', inputConfig: {} })).status).toBe(400);
    expect(
      (await http.createBatch({ displayName: 'x', inputConfig: { requests: { requests: [] } } }))
        .status,
    ).toBe(400);
    expect((await http.createBatch({ displayNmae: 'x' })).status).toBe(400);
    const big = await http.createBatch(inline(Array.from({ length: 10 }, (_, i) => `prompt ${i}`)));
    expect((big.body.error as { message: string }).message).toContain(
      'exceeds the limit: 600 bytes',
    );
    expect((await http.createBatch(inline(['p']), 'gemini-0-image')).status).toBe(404);
    expect(gemini.stats.batchesCreated).toBe(0);
  });

  it('batch GET faults: 500, 503, 429, a reset and an HTML page, then the real answer', async () => {
    const gemini = await start();
    const http = geminiHttp(gemini);
    const name = (await http.createBatch(inline(['p']))).body.name as string;
    gemini.injectOnce({ route: 'batchGet', status: 503 });
    gemini.injectOnce({ route: 'batchGet', kind: 'html' });
    gemini.injectOnce({ route: 'batchGet', kind: 'malformed' });
    expect((await http.get(name)).status).toBe(503);
    const page = await fetch(`${gemini.baseUrl}/v1beta/${name}`, {
      headers: { 'x-goog-api-key': 'test-key' },
    });
    expect([page.status, page.headers.get('content-type')]).toEqual([
      502,
      'text/html; charset=UTF-8',
    ]);
    await page.text();
    expect((await http.get(name)).body).toHaveProperty('text');
    gemini.configure({ pollFaultRate: 1 });
    const statuses = new Set<number>();
    for (let i = 0; i < 20; i++)
      statuses.add(
        await http.get(name).then(
          (a) => a.status,
          () => 0,
        ),
      );
    expect(statuses).toEqual(new Set([0, 429, 500, 502, 503]));
    gemini.configure({ pollFaultRate: 0 });
    expect((await http.settle(name)).status).toBe(200);
    expect(gemini.stats.pollFaults).toBe(23);
  });
});
