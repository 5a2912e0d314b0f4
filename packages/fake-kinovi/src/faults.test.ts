import { describe, expect, it, vi } from 'vitest';
import { FaultDecider } from './faults.js';
import { startedFakes } from './test-utils/started-fakes.js';
import { kinoviHttp, taskIdOf } from './test-utils/kinovi-http.js';

const start = startedFakes({ queueMs: 0, latencyMs: 5 });

describe('seeded decisions', () => {
  it('polling does not shift which creates fail (one stream per concern)', () => {
    const rates = { rate500: 0.5, rate429: 0 };
    const quiet = new FaultDecider(3);
    const busy = new FaultDecider(3);
    const seq = (d: FaultDecider, polls: number) =>
      Array.from({ length: 50 }, () => {
        for (let i = 0; i < polls; i++) d.pollFails(rates);
        return d.createFault(rates);
      });
    expect(seq(busy, 7)).toEqual(seq(quiet, 0));
  });

  it('the same seed gives the same faults over HTTP; another seed differs', async () => {
    const run = async (seed: number) => {
      const kinovi = await start({ seed, rate500: 0.3, rate429: 0.3, concurrencyLimit: 1000 });
      const statuses: number[] = [];
      for (let i = 0; i < 24; i++) {
        statuses.push((await kinoviHttp(kinovi).create({ prompt: `p${i}` })).status);
      }
      return statuses;
    };
    const first = await run(7);
    expect(new Set(first)).toEqual(new Set([200, 429, 500]));
    expect(await run(7)).toEqual(first);
    expect(await run(8)).not.toEqual(first);
  });
});

describe('injectOnce', () => {
  it('replaces exactly the next request on its route, in queue order', async () => {
    const kinovi = await start();
    const http = kinoviHttp(kinovi);
    kinovi.injectOnce({ route: 'createTask', status: 503 });
    kinovi.injectOnce({
      route: 'createTask',
      status: 429,
      body: { message: 'slow down' },
      headers: { 'retry-after': '9' },
    });
    expect(await http.create({ prompt: 'p' })).toMatchObject({
      status: 503,
      body: { message: 'Internal error' },
    });
    const second = await http.create({ prompt: 'p' });
    expect(second).toMatchObject({ status: 429, body: { message: 'slow down' } });
    expect(second.headers.get('retry-after')).toBe('9');
    expect((await http.create({ prompt: 'p' })).status).toBe(200);
    expect(kinovi.stats).toMatchObject({ creates5xx: 1, creates429: 1, creates: 1 });
    expect(kinovi.stats.creditsCharged).toBe(15);
  });

  it('drop: no answer and nothing created — unless afterProcessing, which charges', async () => {
    const kinovi = await start();
    const http = kinoviHttp(kinovi);
    kinovi.injectOnce({ route: 'createTask', kind: 'drop' });
    await expect(http.create({ prompt: 'lost' })).rejects.toThrow();
    expect(kinovi.stats).toMatchObject({ createsDropped: 1, creates: 0 });

    kinovi.injectOnce({ route: 'createTask', kind: 'drop', afterProcessing: true });
    await expect(http.create({ prompt: 'lost' })).rejects.toThrow();
    expect(kinovi.stats).toMatchObject({ createsDropped: 2, creates: 1, creditsCharged: 15 });
    expect(kinovi.tasks()).toHaveLength(1);
  });

  it('delayMs alone: the request takes effect at once and its real answer comes late', async () => {
    const kinovi = await start();
    kinovi.injectOnce({ route: 'createTask', delayMs: 60_000 });
    const controller = new AbortController();
    const impatient = fetch(`${kinovi.baseUrl}/jobs/createTask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer test-key' },
      body: JSON.stringify({ model: 'nanobanana2', inputs: { prompt: 'slow' } }),
      signal: controller.signal,
    });
    // Taken and charged while the answer is still held back; then the client gives up.
    await vi.waitFor(() => expect(kinovi.stats.creates).toBe(1));
    controller.abort();
    await expect(impatient).rejects.toThrow();
    expect(kinovi.stats).toMatchObject({ createCalls: 1, creates: 1, creditsCharged: 15 });

    // The held answer is sent once the delay has passed, not before (fake timers: no margins).
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      kinovi.injectOnce({ route: 'createTask', delayMs: 5000 });
      let settled = false;
      const patient = kinoviHttp(kinovi)
        .create({ prompt: 'slow' })
        .finally(() => (settled = true));
      // setImmediate is not faked; vi.waitFor would advance the fake clock while it waits.
      while (kinovi.stats.creates < 2) await new Promise((resolve) => setImmediate(resolve));
      await vi.advanceTimersByTimeAsync(4999);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect((await patient).status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  });

  it('html on recordInfo, truncate on a download; the retry of each works', async () => {
    const kinovi = await start();
    const http = kinoviHttp(kinovi);
    const taskId = taskIdOf(await http.create({ prompt: 'p', resolution: '1k' }));
    const [output] = (await http.settle(taskId)).body.output as { url: string }[];

    kinovi.injectOnce({ route: 'recordInfo', kind: 'html' });
    const page = await fetch(`${kinovi.baseUrl}/jobs/recordInfo?taskId=${taskId}`, {
      headers: { authorization: 'Bearer test-key' },
    });
    expect(page.status).toBe(502);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect((await http.poll(taskId)).body.status).toBe('success');

    kinovi.injectOnce({ route: 'download', kind: 'truncate' });
    await expect(fetch(output?.url ?? '').then((r) => r.arrayBuffer())).rejects.toThrow();
    const ok = await fetch(output?.url ?? '');
    expect((await ok.arrayBuffer()).byteLength).toBe(Number(ok.headers.get('content-length')));
    expect(kinovi.stats).toMatchObject({ pollFaults: 1, downloadFaults: 1 });
  });

  it('rejects a fault without a known route', async () => {
    const kinovi = await start();
    expect(() => kinovi.injectOnce({ route: 'upload' as 'download' })).toThrow(TypeError);
  });
});
