import type { LockEntry, Lockfile } from '../lock/lockfile.js';
import { candidateSeed, MAX_VARIANTS, taskKey } from '../lock/task-key.js';
import type { ResolvedImage } from '../manifest/resolved-manifest.js';
import { plural } from '../util/plural.js';

/** One provider task of an image with `variants`: a candidate to draw. */
export interface CandidateTask {
  /** Which candidate (1-8): its seed is `candidateSeed(image seed, slot)`. */
  slot: number;
  /** Its key in the lock's `pending` and the journal (task-key.ts). */
  key: string;
  /** A task already paid for (recorded by an earlier run) to poll instead of creating one. */
  resumeTaskId?: string;
}

/** What a run does to the candidates of an image with `variants` (see {@link planVariants}). */
export interface CandidatePlan {
  /** The candidate slots the image has after the run, in the order they are numbered. */
  slots: number[];
  /** The slot the outputs are made from after the run. */
  chosen: number;
  /** The slots to draw (each one provider task, created or resumed). */
  tasks: CandidateTask[];
}

/** What {@link planVariants} decided, when the candidates need work. */
export interface VariantsDecision {
  action: 'create' | 'regenerate' | 'reprocess';
  /** Tasks to pay for (not resumed). */
  paid: number;
  reason: string;
  candidates: CandidatePlan;
  /** A candidate's create was sent and never answered (see PlanEntry.unconfirmedSince). */
  unconfirmedSince?: string;
}

/**
 * The slot of each candidate a lock entry holds (`undefined` for one whose seed is not derived
 * from the entry's, which no pixlock writes). An entry without `candidates` is its one first
 * candidate.
 */
export function lockedSlots(entry: LockEntry): (number | undefined)[] {
  if (!entry.candidates) return [1];
  return entry.candidates.map((c) => {
    for (let slot = 1; slot <= MAX_VARIANTS; slot++) {
      if (candidateSeed(entry.seed, slot) === c.seed) return slot;
    }
    return undefined;
  });
}

/**
 * The image seed a killed run chose for an image with `variants` and no seed of its own, as
 * its later candidates' pending tasks record it (the first candidate's may be gone: refused,
 * or never sent), so those paid tasks are resumed rather than drawn again with a new seed.
 */
export function candidatesSeed(lock: Lockfile, image: ResolvedImage): number | undefined {
  if (image.variants === undefined) return undefined;
  for (let slot = 2; slot <= MAX_VARIANTS; slot++) {
    const seed = lock.pending[taskKey(image.id, slot)]?.seed;
    if (seed !== undefined) return seed;
  }
  return undefined;
}

/**
 * The candidates of one image: which to draw, which to keep, which is chosen. Pure. Undefined
 * when the image has no candidates to change (no `variants`, or the lock already holds just
 * the ones wanted): the caller then plans its outputs as for any image.
 *
 * Changing `variants` keeps what was paid for: from 4 to 2 keeps the chosen candidate (as the
 * last when it was beyond the new count), from 2 to 4 draws only the two missing ones.
 * `fresh` (new image, forced, changed inputs, chosen original gone) draws them all anew and
 * chooses the first.
 */
export function planVariants(
  image: ResolvedImage,
  lock: Lockfile,
  provider: string,
  fresh: { because: string; action: 'create' | 'regenerate' } | undefined,
  forced: boolean,
  generation: string | undefined,
): VariantsDecision | undefined {
  const wanted = image.variants ?? 1;
  const locked = lock.images[image.id];
  if (wanted === 1 && !locked?.candidates) return undefined;
  const task = (slot: number): CandidateTask => {
    const key = taskKey(image.id, slot);
    const pending = lock.pending[key];
    const resumable =
      !forced &&
      pending?.taskId !== undefined &&
      pending.generation === generation &&
      pending.provider === provider;
    return resumable ? { slot, key, resumeTaskId: pending.taskId! } : { slot, key };
  };
  const held = (tasks: CandidateTask[]) => {
    if (forced) return undefined;
    for (const t of tasks) {
      const p = lock.pending[t.key];
      if (p && p.taskId === undefined && p.generation === generation && p.provider === provider)
        return p.createdAt;
    }
    return undefined;
  };
  const slots = locked ? lockedSlots(locked) : [];
  if (fresh || !locked || slots.includes(undefined)) {
    const all = Array.from({ length: wanted }, (_, i) => i + 1);
    const tasks = all.map(task);
    return decision(
      fresh?.action ?? (locked ? 'regenerate' : 'create'),
      fresh?.because ?? (locked ? 'candidates in the lock do not match its seed' : 'new image'),
      { slots: all, chosen: 1, tasks },
      held(tasks),
      wanted,
    );
  }
  const have = slots as number[];
  const chosen = have[(locked.chosen ?? 1) - 1]!;
  const keep = Array.from({ length: wanted }, (_, i) => i + 1);
  if (chosen > wanted) keep[wanted - 1] = chosen;
  const missing = keep.filter((s) => !have.includes(s));
  const dropped = have.filter((s) => !keep.includes(s));
  if (missing.length === 0 && dropped.length === 0) return undefined;
  const plan: CandidatePlan = {
    slots: keep.sort((a, b) => a - b),
    chosen,
    tasks: missing.map(task),
  };
  const change = `variants ${have.length} → ${wanted}`;
  if (missing.length === 0) {
    return decision(
      'reprocess',
      `${change}: ${dropped.length} dropped, the chosen one kept`,
      plan,
      undefined,
      wanted,
    );
  }
  const more = plural(missing.length, 'more candidate');
  return decision('create', `${more} (${change})`, plan, held(plan.tasks), wanted);
}

function decision(
  action: VariantsDecision['action'],
  reason: string,
  candidates: CandidatePlan,
  unconfirmedSince: string | undefined,
  wanted: number,
): VariantsDecision {
  const paid = candidates.tasks.filter((t) => t.resumeTaskId === undefined).length;
  const resumed = candidates.tasks.length - paid;
  const count = wanted > 1 && action !== 'reprocess' ? `, ${wanted} candidates` : '';
  const resuming = resumed > 0 ? `, ${resumed} resumed (already paid)` : '';
  const d: VariantsDecision = {
    action,
    paid,
    reason: unconfirmedSince
      ? `held: a candidate's create was sent at ${unconfirmedSince} and never answered, so it may be paid for; check, then --force it`
      : `${reason}${count}${resuming}`,
    candidates,
  };
  if (unconfirmedSince !== undefined) d.unconfirmedSince = unconfirmedSince;
  return d;
}
