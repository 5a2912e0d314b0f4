import type { Clock } from './ports.js';

/** A time limit on one stage of an image; see {@link startDeadline}. */
export interface Deadline {
  /** Aborts when the time is up or the run's signal aborts; hand it to every provider call. */
  readonly signal: AbortSignal;
  /** True once the time ran out (as opposed to the run being aborted). */
  readonly expired: boolean;
  /** Stops the timer; call when the stage is over. */
  cancel(): void;
}

/**
 * Starts a timer of `ms` on the injected clock that aborts the returned signal. The timer is
 * an explicit one held by the clock (a `setTimeout` with the real clock), not
 * `AbortSignal.timeout`, which can be garbage-collected and then never fires.
 */
export function startDeadline(clock: Clock, ms: number, parent: AbortSignal): Deadline {
  const controller = new AbortController();
  const stop = new AbortController();
  let expired = false;
  const onParent = () => controller.abort(parent.reason);
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener('abort', onParent, { once: true });
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
      parent.removeEventListener('abort', onParent);
    },
  };
}

/** The reason a deadline's signal aborts with. */
export class DeadlineExpired extends Error {
  override readonly name = 'DeadlineExpired';
  constructor(readonly ms: number) {
    super(`timed out after ${Math.round(ms / 1000)} s`);
  }
}
