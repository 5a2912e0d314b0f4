import { describe, expect, it } from 'vitest';
import { sharedAccountLimit } from './shared-account-limit.js';

describe('sharedAccountLimit', () => {
  it('starts at the shard share without probing, and raises as other shards are due to end', async () => {
    // Shard 4 of [40, 60, 80, 100] tasks on 8 slots: 2 until shard 1 ends (40 tasks each),
    // then 3.
    const limit = sharedAccountLimit(8, [40, 60, 80, 100], 4);
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
    const limit = sharedAccountLimit(8, [4, 100], 2);
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
});
