import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { serialRunner } from './serial-runner.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A task that records overlap and is held open until the test finishes it. */
function probe() {
  const stats = { runs: 0, active: 0, maxActive: 0 };
  // Each run announces itself with the function that ends it.
  const started: ((release: () => void) => void)[] = [];
  const starts: Promise<() => void>[] = [];
  const nextStart = () => starts.push(new Promise((r) => started.push(r)));
  nextStart();
  const task = async () => {
    stats.runs++;
    stats.active++;
    stats.maxActive = Math.max(stats.maxActive, stats.active);
    nextStart();
    await new Promise<void>((resolve) => started.shift()!(resolve));
    stats.active--;
  };
  /** Waits for the next run to start (an event, not a sleep), then lets it end. */
  const finish = async () => (await starts.shift()!)();
  return { stats, task, finish };
}

describe('serialRunner', () => {
  it('never runs twice at once and folds calls during a run into one more run', async () => {
    const p = probe();
    const runner = serialRunner(p.task, 0, (e) => {
      throw e;
    });
    const first = runner.run();
    const during = [runner.run(), runner.run(), runner.run()];
    await p.finish(); // the first run
    await p.finish(); // the one folded run
    await Promise.all([first, ...during]);
    expect(p.stats).toMatchObject({ runs: 2, maxActive: 1 });
  });

  it('debounces scheduled runs', async () => {
    let runs = 0;
    const runner = serialRunner(
      async () => void runs++,
      30,
      () => {},
    );
    for (let i = 0; i < 5; i++) runner.schedule();
    await vi.advanceTimersByTimeAsync(10);
    runner.schedule();
    // 30 ms of quiet counts from the last call, not the first.
    await vi.advanceTimersByTimeAsync(29);
    expect(runs).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    await runner.idle();
    expect(runs).toBe(1);
  });

  it('reports a failed run and keeps going', async () => {
    const errors: unknown[] = [];
    let n = 0;
    const runner = serialRunner(
      async () => {
        if (n++ === 0) throw new Error('boom');
      },
      0,
      (e) => errors.push(e),
    );
    await runner.run();
    await runner.run();
    expect(n).toBe(2);
    expect(errors).toEqual([new Error('boom')]);
  });

  it('runs nothing scheduled after close', async () => {
    let runs = 0;
    const runner = serialRunner(
      async () => void runs++,
      10,
      () => {},
    );
    runner.schedule();
    await runner.close();
    runner.schedule();
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toBe(0);
  });

  it('validates its delay', () => {
    expect(() =>
      serialRunner(
        async () => {},
        -1,
        () => {},
      ),
    ).toThrow(TypeError);
  });
});
