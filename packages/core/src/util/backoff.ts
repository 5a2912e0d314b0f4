/**
 * Exponential backoff with full jitter: uniform in [0, min(cap, base·2^attempt)]. Spreads
 * retries of many images apart instead of sending them back in step.
 * @param attempt 0 for the first retry.
 */
export function backoff(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number,
): number {
  if (!(attempt >= 0) || !(baseMs >= 0) || !(capMs >= 0)) {
    throw new TypeError(`backoff: attempt, baseMs and capMs must be >= 0`);
  }
  return Math.round(random() * Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30)));
}
