import { setMaxListeners } from 'node:events';

/** Durations the estimate is drawn from: the run's most recent completions. */
const SAMPLES = 32;

/**
 * Spacing of the dense polls around a task's expected end: a tenth of the poll interval, never
 * under 10 ms (so at most 10 dense polls, spread over one interval), nor over the interval.
 */
export function densePollMs(intervalMs: number): number {
  return Math.min(Math.max(1, intervalMs), Math.max(10, intervalMs / 10));
}

/**
 * How long the provider's tasks take, learnt from this run's completions: the server's own
 * figure (`completeTime - createTime`) when it reports one, else the time from accepted to the
 * poll that saw it done. It places each task's dense polling window (see poll-schedule.ts).
 */
export class TaskDurations {
  private readonly recent: number[] = [];
  private start: number | undefined;
  private controller = new AbortController();
  private scoutId: string | undefined;

  /** @param intervalMs the provider's poll interval, which is also the dense window's length. */
  constructor(readonly intervalMs: number) {
    if (!(Number.isFinite(intervalMs) && intervalMs >= 0))
      throw new TypeError(`TaskDurations: intervalMs must be a number >= 0, got ${intervalMs}`);
    setMaxListeners(0, this.controller.signal);
  }

  /**
   * Ms after a task's acceptance at which its dense polls begin; undefined until a task of
   * this run has completed. The window opens one dense step before the 10th percentile of the
   * recent durations, or, when they spread over more than an interval, so that it is centred
   * on their median: either way it covers the likeliest end.
   */
  get windowOffset(): number | undefined {
    return this.start;
  }

  /**
   * Aborts when the window moves earlier (or is first known), then is replaced: a poller
   * sleeping towards a later poll wakes and looks again.
   */
  get changed(): AbortSignal {
    return this.controller.signal;
  }

  /**
   * Whether `taskId` is the scout: while no duration is known, one task of the run (the first
   * to ask) is polled every dense step, so the first wave's end is seen within a step and the
   * others are woken to it. Bounded: one task, until the first duration is known.
   */
  scout(taskId: string): boolean {
    if (this.start !== undefined) return false;
    this.scoutId ??= taskId;
    return this.scoutId === taskId;
  }

  /** The task ended (or stopped polling): another may scout. */
  unscout(taskId: string): void {
    if (this.scoutId === taskId) this.scoutId = undefined;
  }

  /** A task took `ms`; ignored unless finite and >= 0. */
  observe(ms: number): void {
    if (!(Number.isFinite(ms) && ms >= 0)) return;
    this.recent.push(ms);
    if (this.recent.length > SAMPLES) this.recent.shift();
    const sorted = [...this.recent].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    const step = densePollMs(this.intervalMs);
    const start = Math.max(0, Math.max(at(0.1), at(0.5) - this.intervalMs / 2) - step);
    const before = this.start;
    this.start = start;
    // Only an earlier window needs waking anyone: a later one is reached by sleeping on.
    if (before === undefined || start < before) {
      const old = this.controller;
      this.controller = new AbortController();
      setMaxListeners(0, this.controller.signal);
      old.abort();
    }
  }
}
