import { PixlockError } from '../errors.js';
import { backoff } from '../util/backoff.js';
import type { HttpDeps } from './http-deps.js';

/** How transient failures (5xx, network errors, a 429 the caller may wait out) are retried. */
export interface RetryPolicy {
  /** Tries in all, the first included (default 5). */
  attempts: number;
  /** First backoff ceiling in ms, doubled per try (default 500). */
  baseMs: number;
  /** Largest backoff ceiling in ms (default 8000). */
  capMs: number;
}

/** Bounded so a dead service fails an image in about 15 s rather than hanging the run. */
export const DEFAULT_RETRY: Readonly<RetryPolicy> = Object.freeze({
  attempts: 5,
  baseMs: 500,
  capMs: 8000,
});

/** Past this, a wait the server asks for goes back to the caller rather than hold a slot. */
export const MAX_INTERNAL_WAIT_MS = 60_000;

/** One try of a call: its value, or its error and whether another try may help. */
export type Attempt<T> =
  | { value: T }
  | {
      error: PixlockError;
      retry: boolean;
      /** How long the server asked to wait (Retry-After); else backoff with full jitter. */
      waitMs?: number;
    };

/**
 * Tries `attempt` until it gives a value, an error it says not to retry, or the policy's
 * tries run out (the message then says how many were made). Waits between tries are on the
 * injected clock, and an aborted `signal` ends them, rejecting with its reason.
 */
export async function withRetries<T>(
  attempt: () => Promise<Attempt<T>>,
  policy: RetryPolicy,
  deps: Pick<HttpDeps, 'clock' | 'random'>,
  signal: AbortSignal,
): Promise<T> {
  for (let n = 1; ; n++) {
    const outcome = await attempt();
    if ('value' in outcome) return outcome.value;
    const { error, retry } = outcome;
    const wait = outcome.waitMs ?? backoff(n - 1, policy.baseMs, policy.capMs, deps.random);
    if (!retry || n >= policy.attempts || wait > MAX_INTERNAL_WAIT_MS) {
      if (!retry || n === 1) throw error;
      throw new PixlockError(error.code, `${error.message} (after ${n} attempts)`, {
        ...error.extra,
      });
    }
    await deps.clock.sleep(wait, signal);
  }
}
