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
});
