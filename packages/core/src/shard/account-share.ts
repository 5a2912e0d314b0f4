/** A shard's share of the provider account's slots, as its own tasks end. */
export interface AccountShare {
  /** Slots to start with. */
  initial: number;
  /** Slots once `completed` of its own tasks have ended. */
  at(completed: number): number;
}

/**
 * How many of the account's `concurrency` slots shard `index` (from 1) takes, given every
 * shard's provider tasks (`tasks[j]` for shard j + 1: the split's, which every shard has).
 *
 * n shards asking for the whole account at once would mostly get 429s, and the first to
 * start would keep every slot while the others wait; so each starts with its fair share, and
 * takes more as the others end. No runner sees another, so when they end is predicted: all
 * shards hold their share and work at the same speed per slot (tasks take about as long), so
 * a fluid schedule, the same on every runner, says which shards still work once this one has
 * ended `completed` tasks, and the slots are shared among those (one more to those with more
 * left when they do not divide evenly). A shard that started late or runs slow makes the
 * others' raises come early: a 429 then lowers the target again, as for any 429. Pure.
 */
export function accountShare(
  tasks: readonly number[],
  index: number,
  concurrency: number,
): AccountShare {
  const me = index - 1;
  const remaining = tasks.map((t) => Math.max(0, t));
  const steps: { from: number; slots: number }[] = [];
  const EPS = 1e-9;
  while (remaining[me]! > EPS) {
    const active = remaining.map((r, j) => j).filter((j) => remaining[j]! > EPS);
    const slots = allocate(concurrency, active, remaining);
    steps.push({ from: tasks[me]! - remaining[me]!, slots: Math.max(1, slots.get(me) ?? 0) });
    // Until the next shard with slots ends.
    let dt = Infinity;
    for (const [j, s] of slots) if (s > 0) dt = Math.min(dt, remaining[j]! / s);
    if (!Number.isFinite(dt)) break;
    for (const [j, s] of slots) remaining[j] = Math.max(0, remaining[j]! - s * dt);
    for (const j of active) if (remaining[j]! <= EPS) remaining[j] = 0;
  }
  if (steps.length === 0)
    steps.push({
      from: 0,
      slots: Math.max(1, Math.floor(concurrency / Math.max(1, tasks.length))),
    });
  return {
    initial: steps[0]!.slots,
    at(completed: number): number {
      let slots = steps[0]!.slots;
      for (const step of steps) if (step.from <= completed + EPS) slots = step.slots;
      return slots;
    },
  };
}

/** `concurrency` slots over the active shards: evenly, the rest to those with most left. */
function allocate(
  concurrency: number,
  active: number[],
  remaining: readonly number[],
): Map<number, number> {
  const byNeed = [...active].sort((a, b) => remaining[b]! - remaining[a]! || a - b);
  const base = Math.floor(concurrency / active.length);
  const extra = concurrency - base * active.length;
  return new Map(byNeed.map((j, k) => [j, base + (k < extra ? 1 : 0)]));
}
