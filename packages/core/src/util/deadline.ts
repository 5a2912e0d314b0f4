import type { Clock } from './clock.js';

/** A time limit on one piece of work; see {@link startDeadline}. */
export interface Deadline {
  /** Aborts when the time is up or the parent signal aborts; hand it to every call it bounds. */
  readonly signal: AbortSignal;
  /** True once the time ran out (as opposed to the parent aborting). */
  readonly expired: boolean;
  /** Stops the timer and forgets the parent; call it in a `finally`. */
  cancel(): void;
}

/**
 * Starts a timer of `ms` on the injected clock that aborts the returned signal, which also
 * follows `parent` (a Ctrl-C, the engine's per-image deadline) when one is given. The engine
 * bounds an image's polls and downloads with it; the providers' HTTP kit bounds each request.
 *
 * Not `AbortSignal.any([parent, AbortSignal.timeout(ms)])`: Node holds the timeout signal
 * only weakly, so once nothing else references it a garbage collection drops it with its
 * timer, and a server that trickles one byte a second holds the call forever. Here the
 * clock's pending timer references its callback, which references the controller: the timer
 * fires whatever the collector does.
 */
export function startDeadline(
  clock: Pick<Clock, 'sleep'>,
  ms: number,
  parent?: AbortSignal,
): Deadline {
  const controller = new AbortController();
  const stop = new AbortController();
  let expired = false;
  const onParent = () => controller.abort(parent!.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener('abort', onParent, { once: true });
  clock.sleep(ms, stop.signal).then(
    () => {
      expired = true;
      controller.abort(new DeadlineExpired(ms));
    },
    () => {},
  );
  return {
    signal: controller.signal,
    get expired() {
      return expired;
    },
    cancel() {
      stop.abort();
      parent?.removeEventListener('abort', onParent);
    },
  };
}

/**
 * The reason a deadline's signal aborts with. Named `TimeoutError` like the DOM's own, so a
 * fetch cut off by it reads as a timeout wherever errors are described (network-error.ts).
 */
export class DeadlineExpired extends Error {
  override readonly name = 'TimeoutError';
  constructor(readonly ms: number) {
    super(`timed out after ${ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`}`);
  }
}
