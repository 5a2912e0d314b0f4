/** A timer that aborts a signal; see {@link startDeadline}. */
export interface Deadline {
  /** Aborts when the time is up (reason: a `TimeoutError`) or when the caller's signal does. */
  readonly signal: AbortSignal;
  /** True once the timer, not the caller, aborted the signal. */
  readonly expired: boolean;
  /** Stops the timer and forgets the caller's signal; call it in a `finally`. */
  clear(): void;
}

/**
 * Starts an explicit timer of `ms` that aborts {@link Deadline.signal}, which also follows
 * `parent` (a Ctrl-C, the engine's per-image deadline) when one is given.
 *
 * Not `AbortSignal.any([parent, AbortSignal.timeout(ms)])`: Node holds the timeout signal
 * only weakly, so once nothing else references it a garbage collection drops it with its
 * timer, and a server that trickles one byte a second holds the call forever. Here the
 * pending `setTimeout` references its callback, which references the controller: the timer
 * fires whatever the collector does.
 */
export function startDeadline(ms: number, parent?: AbortSignal): Deadline {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError'));
  }, ms);
  const follow = (): void => controller.abort(parent?.reason);
  if (parent?.aborted) follow();
  else parent?.addEventListener('abort', follow, { once: true });
  return {
    signal: controller.signal,
    get expired() {
      return expired;
    },
    clear() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', follow);
    },
  };
}
