import { describe, expect, it } from 'vitest';
import { schedule, type Job } from './scheduler.js';

type R = { id: string; ok: boolean; skippedFor?: string };
const options = {
  window: 2,
  failed: (r: R) => !r.ok,
  skipped: (job: Job<R>, dep: string): R => ({ id: job.id, ok: false, skippedFor: dep }),
};

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe('schedule', () => {
  it('runs at most `window` jobs at once and returns results in job order', async () => {
    let running = 0;
    let peak = 0;
    const jobs = Array.from({ length: 6 }, (_, i) => ({
      id: `j${i}`,
      run: async (): Promise<R> => {
        peak = Math.max(peak, ++running);
        await new Promise((r) => setImmediate(r));
        running--;
        return { id: `j${i}`, ok: true };
      },
    }));
    const results = await schedule(jobs, options);
    expect(results.map((r) => r.id)).toEqual(['j0', 'j1', 'j2', 'j3', 'j4', 'j5']);
    expect(peak).toBe(2);
  });

  it('starts a job only after the jobs it waits on', async () => {
    const order: string[] = [];
    const first = gate();
    const results = schedule<R>(
      [
        { id: 'b', after: ['a'], run: async () => (order.push('b'), { id: 'b', ok: true }) },
        {
          id: 'a',
          run: async () => {
            await first.opened;
            order.push('a');
            return { id: 'a', ok: true };
          },
        },
      ],
      options,
    );
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([]);
    first.open();
    await results;
    expect(order).toEqual(['a', 'b']);
  });

  it('runs a job that names the same dependency twice once, after it, and its own dependents too', async () => {
    const order: string[] = [];
    const job = (id: string, after?: string[]): Job<R> => ({
      id,
      ...(after && { after }),
      run: async () => (order.push(id), { id, ok: true }),
    });
    const results = await schedule<R>(
      [job('c', ['b']), job('b', ['a', 'a']), job('a'), job('d', ['a', 'b'])],
      options,
    );
    expect(order).toEqual(['a', 'b', 'c', 'd']);
    expect(results.map((r) => r.id)).toEqual(['c', 'b', 'a', 'd']);
  });

  it('skips what waits on a failure, transitively, naming the failed dependency', async () => {
    const ran: string[] = [];
    const job = (id: string, ok: boolean, after?: string[]): Job<R> => ({
      id,
      ...(after && { after }),
      run: async () => (ran.push(id), { id, ok }),
    });
    const results = await schedule(
      [
        job('ref', false),
        job('uses', true, ['ref']),
        job('deeper', true, ['uses']),
        job('free', true),
      ],
      options,
    );
    expect(ran.sort()).toEqual(['free', 'ref']);
    expect(results[1]).toEqual({ id: 'uses', ok: false, skippedFor: 'ref' });
    expect(results[2]).toEqual({ id: 'deeper', ok: false, skippedFor: 'uses' });
  });

  it('rejects unknown dependencies, duplicates and cycles before running anything', async () => {
    const run = async (): Promise<R> => ({ id: 'x', ok: true });
    await expect(schedule([{ id: 'a', after: ['nope'], run }], options)).rejects.toThrow(
      /unknown "nope"/,
    );
    await expect(
      schedule(
        [
          { id: 'a', run },
          { id: 'a', run },
        ],
        options,
      ),
    ).rejects.toThrow(/duplicate/);
    await expect(
      schedule(
        [
          { id: 'a', after: ['b'], run },
          { id: 'b', after: ['a'], run },
        ],
        options,
      ),
    ).rejects.toThrow(/cycle/);
    await expect(schedule([], { ...options, window: 0 })).rejects.toThrow(TypeError);
  });

  it('resolves an empty schedule and reports a job that throws', async () => {
    expect(await schedule([], options)).toEqual([]);
    await expect(
      schedule<R>([{ id: 'a', run: () => Promise.reject(new Error('bug')) }], options),
    ).rejects.toThrow('bug');
  });

  it('starts the ready job with the highest priority first, input order among equals', async () => {
    const started: string[] = [];
    const job = (id: string, priority: number, after?: string[]): Job<R> => ({
      id,
      priority,
      ...(after && { after }),
      run: async () => {
        started.push(id);
        await new Promise((r) => setImmediate(r));
        return { id, ok: true };
      },
    });
    // Two chains (c1 → c2 → c3, d1 → d2) and loose jobs: with one slot, whatever has the
    // longest chain behind it goes first (d1 before c2: equal, and d1 comes first in the list).
    await schedule(
      [
        job('x1', 1),
        job('x2', 1),
        job('d2', 1, ['d1']),
        job('d1', 2),
        job('c3', 1, ['c2']),
        job('c2', 2, ['c1']),
        job('c1', 3),
      ],
      { ...options, window: 1 },
    );
    expect(started).toEqual(['c1', 'd1', 'c2', 'x1', 'x2', 'd2', 'c3']);
  });
});
