import { colorFor } from '@pixlock/fake-gemini';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { isPixlockError } from '../../errors.js';
import { drive, fakeClock, type FakeClock } from '../../engine/test-utils/fake-clock.js';
import { geminiClients } from '../../test-utils/gemini-clients.js';
import type { HttpDeps } from '../../http/http-deps.js';
import type { ImageProvider } from '../image-provider.js';

const clients = geminiClients();
afterEach(() => clients.close());
const { client, ctx, request } = clients;

/**
 * Polls until the task ends; waits on the server's answers, asserts no time. With `clock` (the
 * client's), moves it past the window in which polls share one GET before each poll.
 */
async function polled(provider: ImageProvider, taskId: string, r = request(), clock?: FakeClock) {
  for (let i = 0; i < 2000; i++) {
    await clock?.advance(1000);
    const status = await provider.pollTask(taskId, r, ctx);
    if (status.state !== 'pending') return status;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error('never ended');
}

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
      await clients.close();
    }
    expect(urls.length).toBeGreaterThan(2);
    expect(urls.every((u) => u.includes('/v1/') && !u.includes('v1beta'))).toBe(true);
  });

  it('shares one GET among the tasks of a job, and matches its answers by key', async () => {
    // The client's clock stands still while the three tasks poll: they fall in one window.
    const clock = fakeClock();
    const { fake, provider } = await client('batch', { batchQueueMs: 30 }, {}, { clock });
    const requests = ['one', 'two', 'three'].map((prompt, i) =>
      request({ id: prompt, prompt, seed: i }),
    );
    const created = await drive(
      clock,
      Promise.all(requests.map((r) => provider.createTask(r, ctx))),
      5,
    );
    expect(new Set(created.map((c) => c.taskId.split('#')[0])).size).toBe(1);
    const polls = fake.stats.batchPolls;
    await Promise.all(created.map((c, i) => provider.pollTask(c.taskId, requests[i]!, ctx)));
    expect(fake.stats.batchPolls - polls).toBe(1);
    const ended = [];
    for (const [i, c] of created.entries()) {
      ended.push(await polled(provider, c.taskId, requests[i], clock));
    }
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

  it('gives each image its own answer by key, whatever the order of the responses file', async () => {
    const { fake, provider } = await client('batch');
    const requests = ['one', 'two', 'three'].map((prompt, i) =>
      request({ id: prompt, prompt, seed: i }),
    );
    const created = await Promise.all(requests.map((r) => provider.createTask(r, ctx)));
    await fake.finishBatches();
    const file = fake.files().find((f) => f.source === 'GENERATED')!;
    const reversed = file.bytes.toString('utf8').trim().split('\n').reverse().join('\n') + '\n';
    fake.injectOnce({ route: 'download', status: 200, body: Buffer.from(reversed) });
    for (const [i, c] of created.entries()) {
      const status = await provider.pollTask(c.taskId, requests[i]!, ctx);
      if (status.state !== 'success' || !('bytes' in status.output)) throw new Error('no image');
      // fake-gemini paints each image in its prompt's colour (below the seed's band).
      const { data, info } = await sharp(status.output.bytes)
        .raw()
        .toBuffer({ resolveWithObject: true });
      const at = (info.height - 1) * info.width * info.channels;
      expect([data[at], data[at + 1], data[at + 2]]).toEqual(
        Object.values(colorFor(requests[i]!.prompt)),
      );
    }
    expect(fake.stats.downloads).toBe(1);
  });
});
