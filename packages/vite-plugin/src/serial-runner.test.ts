import { describe, expect, it } from 'vitest';
import { serialRunner } from './serial-runner.js';

/** A task that records overlap and can be held open. */
function probe() {
  const stats = { runs: 0, active: 0, maxActive: 0 };
  let release: (() => void) | undefined;
  const task = async () => {
    stats.runs++;
    stats.active++;
    stats.maxActive = Math.max(stats.maxActive, stats.active);
    await new Promise<void>((resolve) => (release = resolve));
    stats.active--;
  };
  const finish = async () => {
    // Let the runner reach the await before releasing it.
    while (!release) await new Promise((r) => setTimeout(r, 1));
    const r = release;
    release = undefined;
    r();
  };
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
    await new Promise((r) => setTimeout(r, 10));
    runner.schedule();
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
    await new Promise((r) => setTimeout(r, 30));
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
