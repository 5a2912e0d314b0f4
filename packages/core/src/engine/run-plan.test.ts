import { describe, expect, it } from 'vitest';
import { PixlockError } from '../errors.js';
import { emptyLock } from '../lock/lockfile.js';
import { createPlan, manifestOf, runWithFakes } from './test-utils/engine-run.js';
import { drive, fakeClock } from './test-utils/fake-clock.js';
import { fakeProvider } from './test-utils/fake-provider.js';
import { memoryStore } from './test-utils/memory-store.js';

const unavailable = () => new PixlockError('PROVIDER_UNAVAILABLE', 'recordInfo: 502 Bad gateway');

describe('runPlan, the paid path (fakes: store, clock, provider, codec)', () => {
  it('polls a paid task through any run of transient faults, creating it once', async () => {
    const clock = fakeClock();
    const store = memoryStore();
    const faults = [
      unavailable(),
      new PixlockError('PROVIDER_RATE_LIMITED', '429', { retryAfterMs: 2000 }),
      new Error('socket hang up'),
      new PixlockError('PROVIDER_UNAVAILABLE', 'answered 200 without JSON'),
    ];
    const { provider, calls } = fakeProvider({
      store,
      timeoutMs: 600_000,
      poll: (_task, n) => (n < 12 ? faults[n % faults.length]! : undefined!),
      download: (n) => (n < 3 ? Buffer.from('<html>oops</html>') : Buffer.from('IMG:64x64')),
    });
    const manifest = manifestOf(1);
    const lock = emptyLock();
    const run = await drive(clock, runWithFakes({ manifest, provider, store, clock, lock }));
    expect(run.results[0]?.error).toBeUndefined();
    expect(run.counts.created).toBe(1);
    expect(calls.create).toBe(1);
    expect(calls.download).toBe(4);
    expect(store.outputs.has('out/img-0.png')).toBe(true);
    expect(lock.pending).toEqual({});
    expect(store.locks.at(-1)).toContain('img-0');
  });

  it('a hanging poll is cut off at the timeout; the task stays pending and the next run resumes it', async () => {
    const clock = fakeClock();
    const store = memoryStore();
    const { provider } = fakeProvider({ store, timeoutMs: 60_000, poll: () => 'hang' });
    const manifest = manifestOf(1);
    const lock = emptyLock();
    const start = clock.now().getTime();
    const run = await drive(clock, runWithFakes({ manifest, provider, store, clock, lock }), 1000);
    expect(run.results[0]).toMatchObject({
      outcome: 'failed',
      error: { code: 'PROVIDER_TIMEOUT' },
    });
    expect(clock.now().getTime() - start).toBeLessThanOrEqual(61_000);
    expect(lock.pending['img-0']?.taskId).toBe('task-0');

    const again = fakeProvider({ store });
    const plan = createPlan(manifest, { resumeTaskId: 'task-0', credits: 0 });
    const resumed = await drive(
      clock,
      runWithFakes({ manifest, provider: again.provider, store, clock, lock, plan }),
    );
    expect(resumed.counts.resumed).toBe(1);
    expect(again.calls.create).toBe(0);
    expect(lock.pending).toEqual({});
  });

  it('a hanging download is cut off at the timeout, and the task stays pending', async () => {
    const clock = fakeClock();
    const store = memoryStore();
    const { provider } = fakeProvider({ store, timeoutMs: 30_000, download: () => 'hang' });
    const lock = emptyLock();
    const run = await drive(
      clock,
      runWithFakes({ manifest: manifestOf(1), provider, store, clock, lock }),
      1000,
    );
    expect(run.results[0]?.error?.message).toMatch(/download did not complete within 30 s/);
    expect(lock.pending['img-0']?.taskId).toBe('task-0');
    expect(store.temps.size).toBe(0);
  });

  it('ends only on a definite fail or a lost task, and forgets that task', async () => {
    const clock = fakeClock();
    const store = memoryStore();
    const { provider } = fakeProvider({
      store,
      poll: (task) =>
        task === 'task-0'
          ? { state: 'failed', message: 'content policy' }
          : new PixlockError('PROVIDER_TASK_LOST', 'recordInfo: 404 task not found'),
    });
    const lock = emptyLock();
    const manifest = manifestOf(2, { concurrency: 1 });
    const run = await drive(clock, runWithFakes({ manifest, provider, store, clock, lock }));
    expect(run.results.map((r) => r.error?.code)).toEqual([
      'PROVIDER_TASK_FAILED',
      'PROVIDER_TASK_LOST',
    ]);
    expect(lock.pending).toEqual({});
  });

  it('counts credits as reported: a server over-charging against a budget stops new tasks', async () => {
    const clock = fakeClock();
    const store = memoryStore();
    const { provider, calls } = fakeProvider({ store, creditsUsed: 100 });
    const manifest = manifestOf(5, { concurrency: 1 });
    const events: string[] = [];
    const run = await drive(
      clock,
      runWithFakes({
        manifest,
        provider,
        store,
        clock,
        maxCredits: 30,
        onEvent: (e) => void events.push(e.type),
      }),
    );
    expect(calls.create).toBe(1);
    expect(run.credits).toBe(100);
    expect(run.stoppedBy?.code).toBe('PROVIDER_OVERCHARGED');
    expect(run.stoppedBy?.message).toMatch(/charged 100 credits for img-0, listed at 15/);
    expect(run.counts).toMatchObject({ created: 1, skipped: 4 });
    expect(events).toContain('overcharged');
  });

  it('a cheaper server leaves more of the budget', async () => {
    const clock = fakeClock();
    const store = memoryStore();
    const { provider, calls } = fakeProvider({ store, creditsUsed: 5 });
    const manifest = manifestOf(5, { concurrency: 1 });
    const run = await drive(
      clock,
      runWithFakes({ manifest, provider, store, clock, maxCredits: 30 }),
    );
    // 5 + 5 + 5 + 15 (estimate of the fourth) fits in 30; list prices alone would stop at two.
    expect(calls.create).toBe(4);
    expect(run.stoppedBy).toBeUndefined();
    expect(run.results.filter((r) => r.skipReason === 'budget')).toHaveLength(1);
  });

  it('frees the provider slot when the server reports done, before the download', async () => {
    const clock = fakeClock();
    const store = memoryStore();
    let downloadsHanging = 0;
    const { provider, calls } = fakeProvider({
      store,
      timeoutMs: 1_000_000,
      download: () => (downloadsHanging++, 'hang'),
    });
    const manifest = manifestOf(3, { concurrency: 1 });
    const controller = new AbortController();
    const run = runWithFakes({
      manifest,
      provider,
      store,
      clock,
      pipelineSlots: 1,
      signal: controller.signal,
    });
    await clock.advance(1000);
    // One slot, yet every task was created: none waited on the hanging download.
    expect(calls.create).toBe(3);
    expect(downloadsHanging).toBe(1);
    controller.abort(new Error('stop'));
    const result = await drive(clock, run);
    expect(result.interrupted).toBe(true);
  });
});
