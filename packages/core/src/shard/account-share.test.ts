import { describe, expect, it } from 'vitest';
import { accountShare } from './account-share.js';

describe('accountShare', () => {
  it('starts each of n shards at its share of the account, together the whole of it', () => {
    const tasks = [48, 55, 41, 48];
    const initial = tasks.map((_, i) => accountShare(tasks, i + 1, 8).initial);
    expect(initial).toEqual([2, 2, 2, 2]);
    // 3 shards of 8 slots: the one with most left gets the extra.
    expect([10, 30, 20].map((_, i) => accountShare([10, 30, 20], i + 1, 8).initial)).toEqual([
      2, 3, 3,
    ]);
  });

  it('takes over the slots of shards predicted to have ended, keeping the total', () => {
    const tasks = [40, 60, 80, 100];
    const shares = tasks.map((_, i) => accountShare(tasks, i + 1, 8));
    // Shard 1 ends after 40 tasks (all at 2 slots); then 8 slots over 3 shards.
    expect(shares[3]!.at(39)).toBe(2);
    expect(shares[3]!.at(40)).toBe(3);
    expect(shares[2]!.at(40)).toBe(3);
    expect(shares[1]!.at(40)).toBe(2);
    // In the fluid schedule the last shard ends alone with every slot.
    expect(shares[3]!.at(99)).toBe(8);
  });

  it('with fewer slots than shards, gives one to those with most left, and never less than one', () => {
    const tasks = [5, 9, 7];
    expect(tasks.map((_, i) => accountShare(tasks, i + 1, 2).initial)).toEqual([1, 1, 1]);
    expect(accountShare([0, 9], 1, 4).initial).toBe(2);
  });

  it('takes the same steps by time: each shard at its slots while the schedule says it works', () => {
    // [40, 60, 80, 100] on 8, in task durations: shard 1 ends at 20 (40 tasks at 2 slots),
    // shard 2 at 30, shard 3 at 32.5, shard 4 at 35 (280 tasks / 8 slots: no slot idle).
    const tasks = [40, 60, 80, 100];
    const shares = tasks.map((_, i) => accountShare(tasks, i + 1, 8));
    const steps = [0, 19.9, 20, 29.9, 30, 32.4, 32.5, 34.9];
    expect(steps.map((t) => shares[3]!.atTime(t))).toEqual([2, 2, 3, 3, 4, 4, 8, 8]);
    // Shard 3 is predicted done at 32.5: if it still works, it halves the account with shard 4.
    expect(steps.map((t) => shares[2]!.atTime(t))).toEqual([2, 2, 3, 3, 4, 4, 4, 4]);
    // While all four work, and while three do, the slots add up to the account.
    for (const t of [10, 25])
      expect(shares.slice(t < 20 ? 0 : 1).reduce((n, s) => n + s.atTime(t), 0)).toBe(8);
  });

  it('past its predicted end, a shard shares with those still working, then takes everything', () => {
    const tasks = [40, 60, 80, 100];
    // Shard 1, predicted done at 20, still works at 25: an even share beside shards 2, 3 and 4.
    expect(accountShare(tasks, 1, 8).atTime(25)).toBe(2);
    // Shard 2, predicted done at 30, still works at 31: beside shards 3 and 4.
    expect(accountShare(tasks, 2, 8).atTime(31)).toBe(2);
    // Once the schedule says every shard has ended, whoever still works has the account.
    expect(tasks.map((_, i) => accountShare(tasks, i + 1, 8).atTime(35))).toEqual([8, 8, 8, 8]);
    // Equal shards end together: until then, each its share.
    const equal = [48, 48, 48, 48];
    expect(accountShare(equal, 3, 8).atTime(23.9)).toBe(2);
    expect(accountShare(equal, 3, 8).atTime(24)).toBe(8);
  });
});
