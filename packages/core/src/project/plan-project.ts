import type { Observed, Plan, PlanOptions } from '../plan/plan-types.js';
import { CacheSession } from './cache/cache-session.js';
import { cachedPlan, planKey, rememberPlan } from './cache/plan-cache.js';
import { rememberUpToDate } from './cache/remember-up-to-date.js';
import type { Project } from './load-project.js';
import { observeOutputs } from './observe-outputs.js';
import { planAsking } from './plan-asking.js';

/** A plan with what it was made from. */
export interface PlannedProject {
  plan: Plan;
  observed: Observed;
}

/**
 * Looks at the project's outputs and plans. A command of its own: once planned, it writes the
 * caches of what it saw (see {@link planSnapshot}).
 */
export async function planProject(
  project: Project,
  options: PlanOptions = {},
): Promise<PlannedProject> {
  const cache = new CacheSession(project.paths.cacheDir);
  // Sockets of a store the plan asked (originals missing here) are not left open.
  const planned = await planSnapshot(project, cache, options).finally(() =>
    project.stores?.close(),
  );
  await cache.commit();
  return planned;
}

/**
 * Looks at the project's outputs and plans, writing nothing: the hashes, the plan and the
 * up-to-date record are staged in `cache`. The originals store is asked only what the plan
 * asks of it (plan-asking.ts): nothing at all when every output holds.
 */
export async function planSnapshot(
  project: Project,
  cache: CacheSession,
  options: PlanOptions = {},
): Promise<PlannedProject> {
  const { manifest, lock, paths } = project;
  const files = await observeOutputs(paths, manifest, lock, cache);
  // A lock a journal replay changed is not the one its digest names: planned afresh.
  const replayed = project.unsettledCreates + (project.journaledChanges ?? 0) > 0;
  const store = project.originals;
  const key = replayed ? undefined : planKey(manifest, lock, files, store.name, options);
  const cached = key === undefined ? undefined : await cachedPlan(cache, key, store);
  const made = cached ?? (await planAsking(manifest, lock, files, store, options));
  if (key !== undefined && !cached) rememberPlan(cache, key, made, lock);
  const observed: Observed = {
    ...files,
    // What the plan was told; an original it never asked about is taken as there.
    originals: { has: (sha256) => made.originals.get(sha256) ?? true },
    originalsStore: store.name,
  };
  // A plan of the whole project with nothing to do: the next no-op can be answered from it.
  const whole = [options.only, options.force, options.alsoAccept].every((o) => o === undefined);
  if (key !== undefined && whole && made.originals.size === 0)
    await rememberUpToDate(cache, project, made.plan, key, files.stamps);
  return { plan: made.plan, observed };
}
