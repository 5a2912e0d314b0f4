import type { Observed, Plan, PlanOptions } from '../plan/plan-types.js';
import type { Project } from './load-project.js';
import { observeOutputs } from './observe-outputs.js';
import { cachedPlan, planKey, rememberPlan } from './cache/plan-cache.js';
import { planAsking } from './plan-asking.js';
import { rememberUpToDate } from './cache/remember-up-to-date.js';

/** A plan with what it was made from. */
export interface PlannedProject {
  plan: Plan;
  observed: Observed;
}

/**
 * Looks at the project's outputs and plans. The originals store is asked only what the plan
 * asks of it (see {@link planAsking}): nothing at all when every output holds.
 */
export async function planProject(
  project: Project,
  options: PlanOptions = {},
): Promise<PlannedProject> {
  const { manifest, lock, paths } = project;
  const files = await observeOutputs(paths, manifest, lock);
  // A lock a journal replay changed is not the one its digest names: planned afresh.
  const replayed = project.unsettledCreates + (project.journaledChanges ?? 0) > 0;
  const store = project.originals;
  const key = replayed ? undefined : planKey(manifest, lock, files, store.name, options);
  const cached = key === undefined ? undefined : await cachedPlan(paths.cacheDir, key, store);
  const made = cached ?? (await planAsking(manifest, lock, files, store, options));
  if (key !== undefined && !cached) await rememberPlan(paths.cacheDir, key, made, lock);
  const observed: Observed = {
    ...files,
    originals: answers(made.originals),
    originalsStore: store.name,
  };
  // A plan of the whole project with nothing to do: the next no-op can be answered from it.
  const whole = [options.only, options.force, options.alsoAccept].every((o) => o === undefined);
  if (key !== undefined && whole && made.originals.size === 0)
    await rememberUpToDate(project, made.plan, key, files.stamps);
  return { plan: made.plan, observed };
}

/** The store's answers as the plan reads them; an original not asked is taken as there. */
function answers(known: ReadonlyMap<string, boolean>): Observed['originals'] {
  return { has: (sha256) => known.get(sha256) ?? true };
}
