import type { Clock } from '../../util/clock.js';

/** A {@link Clock} whose time moves only when a test says so. */
export interface FakeClock extends Clock {
  /** Moves time forward, firing due sleeps in order and letting their callers run. */
  advance(ms: number): Promise<void>;
  /** Sleeps not yet due. */
  readonly pending: number;
}

/** A fake clock starting at `start` (epoch ms). */
export function fakeClock(start = Date.UTC(2026, 0, 1)): FakeClock {
  let now = start;
  let seq = 0;
  const timers: { at: number; seq: number; fire: () => void }[] = [];
  const settle = async () => {
    // Enough turns of the microtask and macrotask queues for awaited chains to move on.
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  };
  return {
    now: () => new Date(now),
    sleep(ms, signal) {
      return new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const timer = {
          at: now + Math.max(0, ms),
          seq: seq++,
          fire: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          timers.splice(timers.indexOf(timer), 1);
          reject(signal!.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        timers.push(timer);
      });
    },
    async advance(ms) {
      const end = now + ms;
      await settle();
      for (;;) {
        timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const next = timers[0];
        if (!next || next.at > end) break;
        timers.shift();
        now = next.at;
        next.fire();
        await settle();
      }
      now = end;
      await settle();
    },
    get pending() {
      return timers.length;
    },
  };
}

/** Advances `clock` in steps until `promise` settles; fails past `maxMs` of fake time. */
export async function drive<T>(
  clock: FakeClock,
  promise: Promise<T>,
  stepMs = 50,
  maxMs = 3_600_000,
): Promise<T> {
  let settled = false;
  const watched = promise.finally(() => (settled = true));
  for (let t = 0; !settled; t += stepMs) {
    if (t > maxMs) throw new Error(`drive: not settled after ${maxMs} ms of fake time`);
    await clock.advance(stepMs);
  }
  return watched;
}
