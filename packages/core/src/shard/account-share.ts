/** A shard's share of the provider account's slots, by its own progress and by time. */
export interface AccountShare {
  /** Slots to start with. */
  initial: number;
  /** Slots once `completed` of its own tasks have ended. */
  at(completed: number): number;
  /**
   * Slots once `rounds` task durations have passed since the shards started: the schedule's
   * steps as they fall due in time. Past its own predicted end a shard is behind, and shares
   * the account with the shards predicted to be still working (all of it once none is).
   */
  atTime(rounds: number): number;
}

/** A stretch of the schedule: from `start` (in task durations), these slots per shard. */
interface Segment {
  start: number;
  /** Tasks each shard has ended when the stretch starts. */
  done: number[];
  /** Slots of each shard still working. */
  slots: Map<number, number>;
}

const EPS = 1e-9;

/**
 * How many of the account's `concurrency` slots shard `index` (from 1) takes, given every
 * shard's provider tasks (`tasks[j]` for shard j + 1: the split's, which every shard has).
 *
 * n shards asking for the whole account at once would mostly get 429s, and the first to
 * start would keep every slot while the others wait; so each starts with its fair share, and
 * takes more as the others end. No runner sees another, so when they end is predicted: all
 * shards hold their share and work at the same speed per slot (tasks take about as long), so
 * a fluid schedule, the same on every runner, says which shards still work at each moment, and
 * the slots are shared among those (one more to those with more left when they do not divide
 * evenly). A shard takes a step when its own ended tasks reach it or when its time comes,
 * whichever is first: a shard that is ahead does not wait for the clock, and one that is
 * behind (a slow start, a 429, slow polls) still takes the slots of shards that have really
 * ended. A step that comes early is met by a 429, which lowers the target again. Pure.
 */
export function accountShare(
  tasks: readonly number[],
  index: number,
  concurrency: number,
): AccountShare {
  const me = index - 1;
  const segments = fluidSchedule(tasks, concurrency);
  const mine = segments.filter((s) => s.slots.has(me));
  const even = Math.max(1, Math.floor(concurrency / Math.max(1, tasks.length)));
  const initial = mine.length > 0 ? Math.max(1, mine[0]!.slots.get(me)!) : even;
  return {
    initial,
    at(completed) {
      let slots = initial;
      for (const s of mine) if (s.done[me]! <= completed + EPS) slots = s.slots.get(me)!;
      return Math.max(1, slots);
    },
    atTime(rounds) {
      let current: Segment | undefined;
      for (const s of segments) if (s.start <= rounds + EPS) current = s;
      if (!current) return initial;
      const mySlots = current.slots.get(me);
      if (mySlots !== undefined) return Math.max(1, mySlots);
      // Predicted to have ended, yet still working: an even share with those still at it.
      if (current.slots.size === 0) return concurrency;
      return Math.max(1, Math.floor(concurrency / (current.slots.size + 1)));
    },
  };
}

/**
 * The schedule of every shard holding its slots and ending one task per slot per task
 * duration: stretches between one shard's end and the next, the last with no shard working.
 */
function fluidSchedule(tasks: readonly number[], concurrency: number): Segment[] {
  const remaining = tasks.map((t) => Math.max(0, t));
  const segments: Segment[] = [];
  let time = 0;
  for (;;) {
    const active = remaining.map((_, j) => j).filter((j) => remaining[j]! > EPS);
    const slots = active.length > 0 ? allocate(concurrency, active, remaining) : new Map();
    segments.push({
      start: time,
      done: tasks.map((t, j) => Math.max(0, t) - remaining[j]!),
      slots,
    });
    // Until the next shard with slots ends.
    let dt = Infinity;
    for (const [j, s] of slots) if (s > 0) dt = Math.min(dt, remaining[j]! / s);
    if (!Number.isFinite(dt)) return segments;
    time += dt;
    for (const [j, s] of slots) remaining[j] = Math.max(0, remaining[j]! - s * dt);
    for (const j of active) if (remaining[j]! <= EPS) remaining[j] = 0;
  }
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
