import { systemClock } from '../util/clock.js';
import { startDeadline } from '../util/deadline.js';

/** Thrown when a request's own timer, not the caller, stopped it. */
export class StoreTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

// On the real clock, not the retry policy's injected one: tests speed backoff up with an
// instant sleep, which would expire every deadline at once.
/**
 * Runs `call` with a signal that aborts after `ms` (or when `parent` does). A timer that fired
 * rejects with a {@link StoreTimeoutError}, which the retry loop treats as transient.
 */
export async function withDeadline<T>(
  ms: number,
  parent: AbortSignal | undefined,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const deadline = startDeadline(systemClock, ms, parent);
  try {
    return await call(deadline.signal);
  } catch (error) {
    if (deadline.expired) throw new StoreTimeoutError(`no answer within ${ms} ms`);
    throw error;
  } finally {
    deadline.cancel();
  }
}
