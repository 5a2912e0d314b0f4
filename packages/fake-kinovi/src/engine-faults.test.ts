import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { makespanMs } from './stats.js';
import { startedFakes } from './test-utils/started-fakes.js';
import { kinoviHttp, taskIdOf } from './test-utils/kinovi-http.js';

const start = startedFakes({ queueMs: 5, latencyMs: 10 });

describe('fake-kinovi: options the engine tests and benches use', () => {
  it('chargePerTask makes every task cost that much, reported as creditsUsed', async () => {
    const kinovi = await start({ chargePerTask: 100 });
    const http = kinoviHttp(kinovi);
    const taskId = taskIdOf(
      await http.create({ prompt: 'p', aspectRatio: '1:1', resolution: '1k' }),
    );
    const done = await http.settle(taskId);
    expect(done.body).toMatchObject({ status: 'success', creditsUsed: 100 });
    expect(kinovi.stats.creditsCharged).toBe(100);
  });

  it('pollFaultRate fails polls but never creates', async () => {
    const kinovi = await start({ pollFaultRate: 1 });
    const http = kinoviHttp(kinovi);
    const created = await http.create({ prompt: 'p', aspectRatio: '1:1', resolution: '1k' });
    expect(created.status).toBe(200);
    expect((await http.poll(taskIdOf(created)).catch(() => ({ status: 0 }))).status).not.toBe(200);
    expect(kinovi.stats.pollFaults).toBe(1);
  });

  it('records the first accepted create and the last completion (the server-side makespan)', async () => {
    const kinovi = await start({ queueMs: 5, latencyMs: 40 });
    expect(kinovi.stats.firstCreateAt).toBeNull();
    const http = kinoviHttp(kinovi);
    // The server's clock is a fake one here: its times are exact, whatever the machine's load.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const t0 = Date.now();
    const taskId = taskIdOf(
      await http.create({ prompt: 'p', aspectRatio: '1:1', resolution: '1k' }),
    );
    expect(kinovi.stats).toMatchObject({ firstCreateAt: t0, lastCompletionAt: null });
    await vi.advanceTimersByTimeAsync(45);
    expect((await http.poll(taskId)).body.status).toBe('success');
    const [task] = kinovi.tasks();
    expect(kinovi.stats).toMatchObject({
      firstCreateAt: task?.createTime,
      lastCompletionAt: task?.completeTime,
    });
    expect(makespanMs(kinovi.stats)).toBe(45);
  });
});
