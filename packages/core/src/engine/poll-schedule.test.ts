import { describe, expect, it } from 'vitest';
import { nextPollAt, type PollSchedule } from './poll-schedule.js';
import { densePollMs, TaskDurations } from './task-durations.js';

/** Every poll time from the first until `until`, as a poller would use them. */
function pollTimes(schedule: PollSchedule, until: number): number[] {
  const times: number[] = [];
  for (let t = nextPollAt(schedule, -Infinity); t <= until; t = nextPollAt(schedule, t))
    times.push(t);
  return times;
}

describe('nextPollAt', () => {
  it('without a known duration, polls at the interval from the first poll', () => {
    expect(pollTimes({ firstAt: 100, intervalMs: 100 }, 500)).toEqual([100, 200, 300, 400, 500]);
    // A poll that started late (a slow answer) takes the next time after it, not the missed ones.
    expect(nextPollAt({ firstAt: 100, intervalMs: 100 }, 250)).toBe(300);
  });

  it('polls every tenth of the interval for one interval from the window, then back off to the interval', () => {
    const schedule = { firstAt: 100, intervalMs: 100, windowAt: 390 };
    expect(pollTimes(schedule, 700)).toEqual([
      100, 200, 300, 390, 400, 410, 420, 430, 440, 450, 460, 470, 480, 490, 510, 550, 630,
    ]);
    expect(nextPollAt(schedule, 630)).toBe(730);
  });

  it('a window before the first regular poll replaces it', () => {
    expect(pollTimes({ firstAt: 1000, intervalMs: 1000, windowAt: 300 }, 2500)).toEqual([
      300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200, 1300, 1500, 1900,
    ]);
    expect(nextPollAt({ firstAt: 1000, intervalMs: 1000, windowAt: 300 }, 1900)).toBe(2700);
  });

  it('never polls closer than 10 ms, and at most 13 more times than the interval alone', () => {
    for (const intervalMs of [0, 1, 10, 25, 100, 3000]) {
      for (const windowAt of [0, 7, 333, 5000]) {
        const schedule = { firstAt: 50, intervalMs, windowAt };
        const until = 20_000;
        const times = pollTimes(schedule, until);
        // A window before the first regular poll starts the grid earlier: compare from there.
        const plain = pollTimes({ firstAt: Math.min(50, windowAt), intervalMs }, until);
        const gaps = times.slice(1).map((t, i) => t - times[i]!);
        expect(Math.min(...gaps)).toBeGreaterThanOrEqual(Math.min(10, Math.max(1, intervalMs)));
        expect(times.length).toBeLessThanOrEqual(plain.length + 13);
      }
    }
  });
});

describe('TaskDurations', () => {
  it('is unknown until a task completes, then opens the window one dense step before it', () => {
    const d = new TaskDurations(100);
    expect(d.windowOffset).toBeUndefined();
    d.observe(405);
    expect(d.windowOffset).toBe(405 - densePollMs(100));
  });

  it('tracks the 10th percentile of tight durations and the median of spread ones', () => {
    const tight = new TaskDurations(100);
    for (let i = 0; i < 20; i++) tight.observe(400 + i); // 400..419: p10 is 402
    expect(tight.windowOffset).toBe(402 - 10);
    const spread = new TaskDurations(3000);
    for (let i = 0; i < 31; i++) spread.observe(60_000 + i * 1000); // 60..90 s: median 75 s
    expect(spread.windowOffset).toBe(75_000 - 1500 - 300);
  });

  it('wakes sleepers when the window is first known or moves earlier, not when it moves later', () => {
    const d = new TaskDurations(100);
    const first = d.changed;
    d.observe(500);
    expect(first.aborted).toBe(true);
    const second = d.changed;
    expect(second.aborted).toBe(false);
    d.observe(600); // [500, 600]: the window moves from 490 to 540
    expect(d.windowOffset).toBe(540);
    expect(second.aborted).toBe(false);
    d.observe(300); // [300, 500, 600]: to 440
    expect(d.windowOffset).toBe(440);
    expect(second.aborted).toBe(true);
  });

  it('ignores what is not a duration', () => {
    const d = new TaskDurations(100);
    for (const ms of [NaN, -1, Infinity]) d.observe(ms);
    expect(d.windowOffset).toBeUndefined();
  });
  it('names one scout at a time until a duration is known, then none', () => {
    const d = new TaskDurations(100);
    expect(d.scout('a')).toBe(true);
    expect(d.scout('b')).toBe(false);
    expect(d.scout('a')).toBe(true);
    d.unscout('b');
    expect(d.scout('b')).toBe(false);
    d.unscout('a');
    expect(d.scout('b')).toBe(true);
    d.observe(400);
    expect(d.scout('b')).toBe(false);
    expect(d.scout('c')).toBe(false);
  });
});
