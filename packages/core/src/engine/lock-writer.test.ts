import { describe, expect, it } from 'vitest';
import { emptyLock } from '../lock/lockfile.js';
import { parseLock } from '../lock/parse-lock.js';
import { LockWriter } from './lock-writer.js';

const task = (taskId: string) => ({
  taskId,
  generation: 'a'.repeat(64),
  provider: 'kinovi',
  seed: 1,
  credits: 15,
  createdAt: 'now',
});

describe('LockWriter', () => {
  it('folds a burst of changes into few writes, each caller resolving once its change is on disk', async () => {
    const writes: string[] = [];
    const writer = new LockWriter(emptyLock(), async (text) => {
      await new Promise((r) => setTimeout(r, 5));
      writes.push(text);
    });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => writer.setPending(`img-${i}`, task(`t${i}`))),
    );
    expect(writes.length).toBeLessThanOrEqual(3);
    expect(Object.keys(parseLock(writes.at(-1)!, 'x').pending)).toHaveLength(20);
  });

  it('reports a failed write to its caller only, and the next change writes everything', async () => {
    const writes: string[] = [];
    let failures = 2;
    const writer = new LockWriter(emptyLock(), async (text) => {
      await new Promise((r) => setTimeout(r, 5));
      if (failures-- > 0) throw new Error('disk full');
      writes.push(text);
    });
    // Alone: the caller gets the error (and nothing else rejects unhandled).
    await expect(writer.setPending('a', task('t0'))).rejects.toThrow('disk full');
    await new Promise((r) => setTimeout(r, 20));
    // One waits on the failing write while it is in flight: it must not see the failure, and
    // nothing may reject unhandled (vitest fails the run on that).
    const first = writer.setPending('a', task('t1'));
    const second = writer.setPending('b', task('t2'));
    await expect(first).rejects.toThrow('disk full');
    await second;
    await writer.flush();
    expect(Object.keys(parseLock(writes.at(-1)!, 'x').pending)).toEqual(['a', 'b']);
  });
});
