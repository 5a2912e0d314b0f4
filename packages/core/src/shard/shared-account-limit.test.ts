import { describe, expect, it } from 'vitest';
import type { AdaptiveLimit } from '../engine/adaptive-limit.js';
import { fakeClock, type FakeClock } from '../engine/test-utils/fake-clock.js';
import { sharedAccountLimit } from './shared-account-limit.js';

/**
 * One round of a shard that lags: `slots` tasks taken at once, each held `taskMs`, then
 * `idleMs` with nothing on the account (slow polls, a download, a late start). Returns the
 * targets seen after each task ended.
 */
async function lagging(
  limit: AdaptiveLimit,
  clock: FakeClock,
  slots: number,
  taskMs: number,
  idleMs: number,
): Promise<number[]> {
  const permits = await Promise.all(Array.from({ length: slots }, () => limit.acquire()));
  for (const p of permits) p.accepted();
  await clock.advance(taskMs);
  const targets: number[] = [];
  for (const p of permits) {
    p.release();
    targets.push(limit.target);
  }
  await clock.advance(idleMs);
  return targets;
}

describe('sharedAccountLimit', () => {
  it('starts at the shard share without probing, and raises as other shards are due to end', async () => {
    // Shard 4 of [40, 60, 80, 100] tasks on 8 slots: 2 until shard 1 ends (40 tasks each),
    // then 3.
    // The clock stands still: only the count of ended tasks moves the schedule here.
    const limit = sharedAccountLimit(8, [40, 60, 80, 100], 4, fakeClock());
    expect(limit.target).toBe(2);
    const permits = await Promise.all([limit.acquire(), limit.acquire()]);
    // No third slot: no probe beyond the share.
    let third = false;
    void limit.acquire().then(() => (third = true));
    await Promise.resolve();
    expect(third).toBe(false);
    for (const p of permits) p.accepted();
    // 39 of its own tasks end: still 2 (the third waiter gets the slot each time one frees).
    for (let i = 0; i < 39; i++) {
      const p = i < 2 ? permits[i]! : await limit.acquire();
      if (i >= 2) p.accepted();
      p.release();
    }
    expect(limit.target).toBe(2);
    const p = await limit.acquire();
    p.accepted();
    p.release();
    expect(limit.target).toBe(3);
  });

  it('after a raise the account refused, tries again less and less often', async () => {
    const limit = sharedAccountLimit(8, [4, 100], 2, fakeClock());
    expect(limit.target).toBe(4);
    const held = await Promise.all([1, 2, 3, 4].map(() => limit.acquire()));
    for (const h of held) h.accepted();
    // Shard 1 is predicted done after 4 of ours: all 8 slots are ours.
    for (let i = 0; i < 4; i++) {
      held[i]!.release();
      held[i] = await limit.acquire();
      held[i]!.accepted();
    }
    expect(limit.target).toBe(8);
    // But it is not done: the fifth create gets a 429, and the target falls to what runs.
    const refused = await limit.acquire();
    expect(refused.rateLimited()).toBe(true);
    expect(limit.target).toBe(4);
    // Raised again only once a round of 8 of our own tasks has ended since the last raise.
    const taskEnds = async () => {
      held[0]!.release();
      held[0] = await limit.acquire();
      held[0].accepted();
    };
    for (let i = 0; i < 7; i++) await taskEnds();
    expect(limit.target).toBe(4);
    await taskEnds();
    expect(limit.target).toBe(8);
    // Refused again: the next try waits twice as long (16 tasks since the last raise).
    expect((await limit.acquire()).rateLimited()).toBe(true);
    for (let i = 0; i < 15; i++) await taskEnds();
    expect(limit.target).toBe(4);
    await taskEnds();
    expect(limit.target).toBe(8);
  });

  it('takes a step when it falls due in time, though its own count of ended tasks lags', async () => {
    // Shard 4 of [40, 60, 80, 100]: shard 1 is due to end 20 task durations in (40 at 2
    // slots), which its own count would say only after 40 of its tasks. This shard idles as
    // long as it works (400 ms tasks, 400 ms between rounds): 2 tasks per 800 ms.
    const clock = fakeClock();
    const limit = sharedAccountLimit(8, [40, 60, 80, 100], 4, clock);
    const seen: number[][] = [];
    for (let round = 0; round < 11; round++) seen.push(await lagging(limit, clock, 2, 400, 400));
    // Round k ends 800k + 400 ms in: 2k + 1 task durations. Round 9 ends at 19 (20 tasks
    // ended, still 2 slots); round 10 at 21, past shard 1's end: 3, with 22 tasks ended.
    expect(seen[9]).toEqual([2, 2]);
    expect(seen[10]).toEqual([3, 3]);
    expect(limit.target).toBe(3);
  });

  it('behind at the time every shard is due to have ended, takes the whole account', async () => {
    // Four equal shards end together 24 task durations in; this one has done half by then.
    const clock = fakeClock();
    const limit = sharedAccountLimit(8, [48, 48, 48, 48], 2, clock);
    const seen: number[][] = [];
    for (let round = 0; round < 13; round++) seen.push(await lagging(limit, clock, 2, 400, 400));
    expect(seen[11]).toEqual([2, 2]); // 23 task durations, 24 tasks ended
    expect(seen[12]).toEqual([8, 8]); // 25: no other shard is due to be working
  });

  it('measures a task duration from its own tasks, so slower tasks make later steps', async () => {
    // The same shard as above with tasks twice as long and idle twice as long: the same steps
    // at the same counts, twice the time.
    const clock = fakeClock();
    const limit = sharedAccountLimit(8, [48, 48, 48, 48], 2, clock);
    const seen: number[][] = [];
    for (let round = 0; round < 13; round++) seen.push(await lagging(limit, clock, 2, 800, 800));
    expect(seen[11]).toEqual([2, 2]);
    expect(seen[12]).toEqual([8, 8]);
    expect(clock.now().getTime() - Date.UTC(2026, 0, 1)).toBe(13 * 1600);
  });

  it('never probes above the schedule, however many of its tasks end', async () => {
    // A probe would win a slot another shard leaves free for a moment between two tasks, and
    // keep it: that shard would meet 429s and fall below its share.
    const limit = sharedAccountLimit(8, [100, 100, 100, 100], 1, fakeClock());
    const held = await Promise.all([limit.acquire(), limit.acquire()]);
    for (const h of held) h.accepted();
    for (let i = 0; i < 40; i++) {
      held[i % 2]!.release();
      held[i % 2] = await limit.acquire();
      held[i % 2]!.accepted();
    }
    let third = false;
    void limit.acquire().then(() => (third = true));
    await new Promise((r) => setImmediate(r));
    expect(third).toBe(false);
    expect(limit.target).toBe(2);
  });
});
