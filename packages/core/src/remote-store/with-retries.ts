import { backoff } from '../util/backoff.js';
import type { Clock, Logger } from '../engine/ports.js';
import { isPixlockError } from '../errors.js';
import { classifyStoreFailure, storeError, type StoreErrorContext } from './store-failure.js';

/** How transient store failures are retried. */
export interface StoreRetryPolicy {
  /** Tries in all, the first included (default 5). */
  attempts: number;
  /** First backoff ceiling in ms, doubled per try (default 250). */
  baseMs: number;
  /** Largest backoff ceiling in ms (default 8,000). */
  capMs: number;
}

/** About 15 s of backoff at most before a dead store fails a transfer. */
export const DEFAULT_STORE_RETRY: Readonly<StoreRetryPolicy> = Object.freeze({
  attempts: 5,
  baseMs: 250,
  capMs: 8000,
});

/**
 * Wraps a failure of this machine's own files (a folder missing, a disk full, a source file
 * deleted mid-upload): not the store's doing, so never retried or reported as a store error.
 * {@link withRetries} rethrows the wrapped error as it was.
 */
export class LocalFailure extends Error {
  constructor(readonly error: unknown) {
    super('local file failure');
  }
}

/** What {@link withRetries} needs besides the call. */
export interface RetryContext {
  policy: StoreRetryPolicy;
  clock: Pick<Clock, 'sleep'>;
  random: () => number;
  logger: Logger;
  signal?: AbortSignal;
}

/**
 * Runs `call` until it succeeds, fails for good or runs out of tries, with full-jitter
 * backoff between tries (twice as long when the store said SlowDown). Errors that are
 * already a PixlockError pass through (STORE_CORRUPT is retried when `retryCorrupt` says
 * so: a body damaged in transit reads fine the next time, a damaged object never does).
 * A {@link LocalFailure} rethrows what it wraps. Anything else is classified
 * (store-failure.ts) and ends as a STORE_* error naming `ctx`.
 * An abort by `signal` rejects with its reason, at once.
 */
export async function withRetries<T>(
  call: (attempt: number) => Promise<T>,
  ctx: Omit<StoreErrorContext, 'attempts'>,
  retry: RetryContext,
  retryCorrupt = 1,
): Promise<T> {
  let corruptLeft = retryCorrupt;
  for (let attempt = 1; ; attempt++) {
    retry.signal?.throwIfAborted();
    let throttled = false;
    try {
      return await call(attempt);
    } catch (error) {
      retry.signal?.throwIfAborted();
      if (error instanceof LocalFailure) throw error.error;
      const last = attempt >= retry.policy.attempts;
      if (isPixlockError(error)) {
        if (!isPixlockError(error, 'STORE_CORRUPT') || corruptLeft <= 0 || last) throw error;
        corruptLeft -= 1;
        retry.logger.debug?.(`${error.message}; fetching it again`);
      } else {
        const failure = classifyStoreFailure(error);
        if (!failure.retryable || last) throw storeError(failure, { ...ctx, attempts: attempt });
        throttled = failure.throttled;
        retry.logger.debug?.(
          `${ctx.operation} ${ctx.storeUrl}/${ctx.object ?? ''}: ${failure.reason}; ` +
            `trying again (${attempt + 1} of ${retry.policy.attempts})`,
        );
      }
    }
    const delay = backoff(
      attempt - 1 + (throttled ? 1 : 0),
      retry.policy.baseMs,
      retry.policy.capMs,
      retry.random,
    );
    await retry.clock.sleep(delay, retry.signal);
  }
}
