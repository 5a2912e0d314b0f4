import { systemClock, type Clock } from '../util/clock.js';

/** Side effects of a provider's HTTP client, injectable so tests run fast and deterministic. */
export interface HttpDeps {
  fetch: typeof fetch;
  /** Times every request, download and backoff: the engine's clock. */
  clock: Clock;
  /** Uniform in [0, 1), for backoff jitter. */
  random(): number;
}

/** `deps` with the real fetch, clock and randomness where it names none. */
export function httpDeps(deps: Partial<HttpDeps> = {}): HttpDeps {
  return {
    fetch: deps.fetch ?? ((input, init) => fetch(input, init)),
    clock: deps.clock ?? systemClock,
    random: deps.random ?? Math.random,
  };
}
