import { densePollMs } from './task-durations.js';

/** When one task is polled; see {@link nextPollAt}. */
export interface PollSchedule {
  /** The first regular poll (clock ms). */
  firstAt: number;
  /** The configured poll interval. */
  intervalMs: number;
  /** When the dense window opens (clock ms); undefined while no task duration is known. */
  windowAt?: number;
}

/**
 * The first poll time strictly after `after` (the start of the previous poll; -Infinity before
 * the first). The times are: the regular ones `firstAt + k × interval` before the window, then
 * one every {@link densePollMs} for one interval (at most 10), then gaps doubling from the
 * dense step until they reach the interval (at most 3), then every interval. Each time is used
 * by at most one poll, so a task gets at most 13 polls more than the interval alone would give
 * it, and none closer together than the dense step.
 */
export function nextPollAt(schedule: PollSchedule, after: number): number {
  const interval = Math.max(1, schedule.intervalMs);
  const { firstAt, windowAt } = schedule;
  if (windowAt === undefined) return firstOnGrid(firstAt, interval, after);
  const step = densePollMs(interval);
  const windowEnd = windowAt + Math.max(1, Math.floor(interval / step)) * step;
  if (after < windowAt) {
    // A regular poll less than a dense step before the window is left out for the window.
    const regular = firstOnGrid(firstAt, interval, after);
    return regular <= windowAt - step ? regular : windowAt;
  }
  if (after < windowEnd) return Math.min(firstOnGrid(windowAt, step, after), windowEnd);
  // Past the window the gaps double back up to the interval (at most 3 more polls): a task
  // ending a little later than the run's others is still seen soon after it ends.
  let at = windowEnd;
  for (let gap = 2 * step; at <= after; gap *= 2) {
    if (gap >= interval) return firstOnGrid(at, interval, after);
    at += gap;
  }
  return at;
}

/** The first of `base + k × step` (k >= 0) strictly after `after`. */
function firstOnGrid(base: number, step: number, after: number): number {
  if (after < base) return base;
  return base + (Math.floor((after - base) / step) + 1) * step;
}
