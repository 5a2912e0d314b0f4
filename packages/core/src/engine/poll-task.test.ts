import { describe, expect, it } from 'vitest';
import type { ImageProvider } from '../providers/image-provider.js';
import { manifestOf, runWithFakes } from './test-utils/engine-run.js';
import { drive, fakeClock, type FakeClock } from './test-utils/fake-clock.js';
import { memoryStore, type MemoryStore } from './test-utils/memory-store.js';

/**
 * A provider on the fake clock: task n takes `durations[n]` ms from its create, the create of
 * task n takes `createMs[n]` ms, and every poll is noted as ms after the task's acceptance.
 */
function timedProvider(
  clock: FakeClock,
  store: MemoryStore,
  options: { durations: number[]; createMs?: number[]; reportDuration: boolean },
) {
  const acceptedAt: number[] = [];
  const polls: number[][] = [];
  const now = () => clock.now().getTime();
  const provider: ImageProvider = {
    name: 'fake',
    capabilities: { references: 'uploads', results: 'url', calls: 'task' },
    pollIntervalMs: 100,
    timeoutMs: 600_000,
    async createTask(_request, ctx) {
      const n = acceptedAt.length;
      acceptedAt.push(NaN);
      polls.push([]);
      await clock.sleep(options.createMs?.[n] ?? 0, ctx.signal);
      acceptedAt[n] = now();
      return { taskId: String(n) };
    },
    async pollTask(taskId) {
      const n = Number(taskId);
      polls[n]!.push(now() - acceptedAt[n]!);
      const duration = options.durations[n]!;
      if (now() < acceptedAt[n]! + duration) return { state: 'pending' };
      return {
        state: 'success',
        output: { url: 'fake:image', mediaType: 'image/png' },
        creditsUsed: 15,
        ...(options.reportDuration && { durationMs: duration }),
      };
    },
    async download(_output, destination) {
      store.temps.set(destination, Buffer.from('IMG:64x64'));
      return { mediaType: 'image/png' };
    },
  };
  return { provider, polls };
}

describe('pollTask scheduling (fake clock)', () => {
  it('polls a task densely around the end the server reported for the run’s earlier tasks', async () => {
    const clock = fakeClock();
    const store = memoryStore();
    const { provider, polls } = timedProvider(clock, store, {
      durations: [405, 405, 405],
      reportDuration: true,
    });
    const manifest = manifestOf(3, { concurrency: 1 });
    const run = await drive(clock, runWithFakes({ manifest, provider, store, clock }), 5);
    expect(run.counts.created).toBe(3);
    // The first knows nothing: it scouts, polled every 10 ms, and is seen done 5 ms late. The
    // others are polled at the interval, then every 10 ms from one step before 405 ms.
    expect(polls[0]).toEqual(Array.from({ length: 41 }, (_, i) => 10 * (i + 1)));
    expect(polls[1]).toEqual([100, 200, 300, 395, 405]);
    expect(polls[2]).toEqual([100, 200, 300, 395, 405]);
  });

  it('without server timestamps, learns from the poll that saw the scout done', async () => {
    const clock = fakeClock();
    const store = memoryStore();
    const { provider, polls } = timedProvider(clock, store, {
      durations: [405, 405, 405, 405],
      reportDuration: false,
    });
    const manifest = manifestOf(4, { concurrency: 1 });
    await drive(clock, runWithFakes({ manifest, provider, store, clock }), 5);
    // The scout is seen done at 410 ms: the others' windows open at 400 ms.
    expect(polls.map((p) => p.at(-1))).toEqual([410, 410, 410, 410]);
    expect(polls[1]).toEqual([100, 200, 300, 400, 410]);
  });

  it('wakes a task sleeping towards its next poll when the scout shows it is likely done sooner', async () => {
    const clock = fakeClock();
    const store = memoryStore();
    // Task 1 is accepted 30 ms after task 0; both take 150 ms.
    const { provider, polls } = timedProvider(clock, store, {
      durations: [150, 150],
      createMs: [0, 30],
      reportDuration: true,
    });
    const manifest = manifestOf(2, { concurrency: 2 });
    await drive(clock, runWithFakes({ manifest, provider, store, clock }), 5);
    // Task 0 scouts (every 10 ms); task 1, accepted 30 ms later, polls at the interval.
    expect(polls[0]).toEqual(Array.from({ length: 15 }, (_, i) => 10 * (i + 1)));
    // Task 0 seen done at 150 ms wakes task 1, sleeping towards 200 ms: its window now opens
    // at 140 ms, and it is seen done at 150 instead of 200.
    expect(polls[1]).toEqual([100, 140, 150]);
  });
});
