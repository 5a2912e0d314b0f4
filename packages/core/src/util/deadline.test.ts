import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { fakeClock } from '../engine/test-utils/fake-clock.js';
import { systemClock } from './clock.js';
import { DeadlineExpired, startDeadline } from './deadline.js';

describe('startDeadline', () => {
  it('aborts its signal when the time is up, and not before', async () => {
    const clock = fakeClock();
    const deadline = startDeadline(clock, 1000, new AbortController().signal);
    await clock.advance(999);
    expect(deadline.signal.aborted).toBe(false);
    await clock.advance(1);
    expect(deadline.expired).toBe(true);
    expect(deadline.signal.reason).toBeInstanceOf(DeadlineExpired);
    // Read as a timeout wherever a failed fetch is described (network-error.ts).
    expect(deadline.signal.reason).toMatchObject({ name: 'TimeoutError' });
  });

  it('follows the parent signal with its reason, without calling that a timeout', async () => {
    const clock = fakeClock();
    const run = new AbortController();
    const deadline = startDeadline(clock, 1000, run.signal);
    const reason = new Error('ctrl-c');
    run.abort(reason);
    expect(deadline.signal.reason).toBe(reason);
    expect(deadline.expired).toBe(false);
    expect(startDeadline(clock, 5, run.signal).signal.reason).toBe(reason); // already aborted
  });

  it('runs without a parent', async () => {
    const clock = fakeClock();
    const deadline = startDeadline(clock, 10);
    await clock.advance(10);
    expect(deadline.expired).toBe(true);
  });

  it('cancel stops the timer and forgets the parent', async () => {
    const clock = fakeClock();
    const parent = new AbortController();
    const deadline = startDeadline(clock, 1000, parent.signal);
    deadline.cancel();
    await clock.advance(5000);
    parent.abort();
    expect(deadline.signal.aborted).toBe(false);
    expect(clock.pending).toBe(0);
  });

  it('on the real clock, fires under forced garbage collection (nothing else holds it)', async () => {
    // The old AbortSignal.timeout inside AbortSignal.any was collected with its timer and
    // never fired (issue 10). What is asserted is that the abort event comes at all.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const aborted = new Promise<unknown>((resolve) => {
      const { signal } = startDeadline(systemClock, 30);
      signal.addEventListener('abort', () => resolve(signal.reason), { once: true });
    });
    const collecting = setInterval(gc, 5);
    try {
      expect(await aborted).toBeInstanceOf(DeadlineExpired);
    } finally {
      clearInterval(collecting);
    }
  });
});
