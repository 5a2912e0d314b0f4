import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { startFakeKinovi } from './fake-kinovi-server.js';
import { creditCost } from './task-store.js';
import { startedFakes } from './test-utils/started-fakes.js';
import { kinoviHttp, taskIdOf } from './test-utils/kinovi-http.js';

// The money rules: what the account is charged, when, and when it gets credits back.

const start = startedFakes({ queueMs: 5, latencyMs: 10 });

describe('credits and concurrency', () => {
  it('prices 1k and 2k at 15 credits, 4k at 25', () => {
    expect([creditCost('1k'), creditCost('2k'), creditCost('4k')]).toEqual([15, 15, 25]);
  });

  it('429s a create over the concurrency limit, without charging or queueing it', async () => {
    const kinovi = await start({ concurrencyLimit: 2, latencyMs: 150, retryAfterSeconds: 3 });
    const http = kinoviHttp(kinovi);
    const [a, b] = await Promise.all([http.create({ prompt: 'a' }), http.create({ prompt: 'b' })]);
    const over = await http.create({ prompt: 'c' });
    expect(over.status).toBe(429);
    expect(over.body).toEqual({ message: expect.any(String), limit: 2, current: 2 });
    expect(over.headers.get('retry-after')).toBe('3');
    expect(kinovi.stats).toMatchObject({ creates: 2, creates429: 1, creditsCharged: 30 });
    expect(kinovi.tasks().map((t) => t.prompt)).toEqual(['a', 'b']);

    await http.settle(taskIdOf(a));
    await http.settle(taskIdOf(b));
    expect((await http.create({ prompt: 'c' })).status).toBe(200);
    expect(kinovi.stats).toMatchObject({ maxInFlight: 2, creditsCharged: 45 });
    expect({ ...kinovi.stats.createsByPrompt }).toEqual({ a: 1, b: 1, c: 1 });
  });

  it('counts the limit per API key', async () => {
    const kinovi = await start({ apiKeys: ['k1', 'k2'], concurrencyLimit: 1, latencyMs: 100 });
    expect((await kinoviHttp(kinovi, 'k1').create({ prompt: 'a' })).status).toBe(200);
    expect((await kinoviHttp(kinovi, 'k2').create({ prompt: 'b' })).status).toBe(200);
    expect((await kinoviHttp(kinovi, 'k1').create({ prompt: 'c' })).status).toBe(429);
    expect(kinovi.stats.maxInFlight).toBe(2);
  });

  it('402s with required and available when the balance is short', async () => {
    const kinovi = await start({ credits: 20 });
    const http = kinoviHttp(kinovi);
    expect(await http.create({ prompt: 'big', resolution: '4k' })).toMatchObject({
      status: 402,
      body: { message: 'Insufficient credits', required: 25, available: 20 },
    });
    expect((await http.create({ prompt: 'small' })).status).toBe(200);
    expect(await http.create({ prompt: 'again' })).toMatchObject({
      status: 402,
      body: { required: 15, available: 5 },
    });
    expect(kinovi.stats).toMatchObject({ creates402: 2, creditsCharged: 15, creditsAvailable: 5 });
    kinovi.configure({ credits: 1000 });
    expect((await http.create({ prompt: 'big', resolution: '4k' })).status).toBe(200);
    expect(kinovi.stats.creditsAvailable).toBe(975);
  });

  it('refunds a failed task, though its creditsUsed still shows the reservation', async () => {
    const kinovi = await start({ failRate: 1, credits: 100 });
    const http = kinoviHttp(kinovi);
    const taskId = taskIdOf(await http.create({ prompt: 'p', resolution: '4k' }));
    expect(kinovi.stats.creditsAvailable).toBe(75);
    const done = await http.settle(taskId);
    expect(done.body).toMatchObject({
      status: 'fail',
      creditsUsed: 25,
      output: null,
      error: { code: '2038', message: expect.any(String) },
    });
    expect(kinovi.stats).toMatchObject({
      failed: 1,
      creditsCharged: 0,
      creditsRefunded: 25,
      creditsAvailable: 100,
    });
    expect(kinovi.tasks()[0]).toMatchObject({ status: 'fail', refunded: true });
  });
});

describe('random faults on the API', () => {
  it('a create that got 500 created and charged nothing; polls can 500 too', async () => {
    const kinovi = await start({ rate500: 1 });
    const http = kinoviHttp(kinovi);
    expect(await http.create({ prompt: 'p' })).toMatchObject({
      status: 500,
      body: { message: 'Internal error' },
    });
    expect((await http.poll('task_x')).status).toBe(500);
    expect(kinovi.tasks()).toEqual([]);
    expect(kinovi.stats).toMatchObject({ creates5xx: 1, creditsCharged: 0, pollFaults: 1 });
  });

  it('rate429 answers 429 although under the limit, without charging', async () => {
    const kinovi = await start({ rate429: 1, retryAfterSeconds: 1 });
    const answer = await kinoviHttp(kinovi).create({ prompt: 'p' });
    expect(answer).toMatchObject({ status: 429, body: { limit: 5, current: 0 } });
    expect(answer.headers.get('retry-after')).toBe('1');
    expect(kinovi.stats).toMatchObject({ creates429: 1, creates: 0, creditsCharged: 0 });
  });

  it('close() ends open connections and pending tasks at once', async () => {
    const kinovi = await startFakeKinovi({ latencyMs: 60_000 });
    // A connection in the middle of a request: only close() can end it (the server's own
    // headers timeout is a minute away), so close() resolves only if it ends connections.
    const { hostname, port } = new URL(kinovi.baseUrl);
    const socket = connect(Number(port), hostname);
    await once(socket, 'connect');
    socket.write('POST /api/v1/jobs/createTask HTTP/1.1\r\nHost: x\r\n');
    const socketClosed = once(socket, 'close');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    await kinoviHttp(kinovi).create({ prompt: 'p' });
    await kinovi.close();
    await kinovi.close();
    await socketClosed;
    // Its timers went with it: a minute later the task is where close() left it.
    await vi.advanceTimersByTimeAsync(120_000);
    expect(kinovi.tasks()).toMatchObject([{ status: 'waiting', completeTime: null }]);
    expect(kinovi.stats).toMatchObject({ inFlight: 1, succeeded: 0 });
    vi.useRealTimers();
    await expect(fetch(`${kinovi.baseUrl}/jobs/recordInfo?taskId=x`)).rejects.toThrow();
  });
});
