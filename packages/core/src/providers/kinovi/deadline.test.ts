import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startDeadline } from './deadline.js';

describe('startDeadline', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('aborts with a TimeoutError when the time is up, not before', () => {
    const d = startDeadline(1000);
    vi.advanceTimersByTime(999);
    expect(d.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(d.signal.reason).toMatchObject({ name: 'TimeoutError' });
    expect(d.expired).toBe(true);
  });

  it("follows the caller's signal with its reason, and is not then 'expired'", () => {
    const caller = new AbortController();
    const d = startDeadline(1000, caller.signal);
    const reason = new Error('Ctrl-C');
    caller.abort(reason);
    expect(d.signal.reason).toBe(reason);
    expect(d.expired).toBe(false);
    expect(startDeadline(5, caller.signal).signal.reason).toBe(reason); // already aborted
  });

  it('clear stops the timer and forgets the caller', () => {
    const caller = new AbortController();
    const d = startDeadline(1000, caller.signal);
    d.clear();
    vi.advanceTimersByTime(5000);
    caller.abort();
    expect(d.signal.aborted).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });
});
