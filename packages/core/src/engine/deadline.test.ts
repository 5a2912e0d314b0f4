import { describe, expect, it } from 'vitest';
import { DeadlineExpired, startDeadline } from './deadline.js';
import { fakeClock } from './test-utils/fake-clock.js';

describe('startDeadline', () => {
  it('aborts its signal when the time is up, and not before', async () => {
    const clock = fakeClock();
    const deadline = startDeadline(clock, 1000, new AbortController().signal);
    await clock.advance(999);
    expect(deadline.signal.aborted).toBe(false);
    await clock.advance(1);
    expect(deadline.expired).toBe(true);
    expect(deadline.signal.reason).toBeInstanceOf(DeadlineExpired);
  });
  it('follows the run signal without calling that a timeout', async () => {
    const clock = fakeClock();
    const run = new AbortController();
    const deadline = startDeadline(clock, 1000, run.signal);
    run.abort(new Error('ctrl-c'));
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.expired).toBe(false);
  });
  it('cancel stops the timer', async () => {
    const clock = fakeClock();
    const deadline = startDeadline(clock, 1000, new AbortController().signal);
    deadline.cancel();
    await clock.advance(5000);
    expect(deadline.signal.aborted).toBe(false);
    expect(clock.pending).toBe(0);
  });
});
