import type { Plan, PlanEntry } from '../plan/plan-types.js';

/** What {@link check} found. */
export interface CheckResult {
  /** True when every image is generated, locked and unmodified on disk. */
  ok: boolean;
  /** Images that are not: with the action `generate` would take and why. */
  problems: PlanEntry[];
  /** Lock entries no longer in the manifest (not a failure; `prune` removes them). */
  orphans: PlanEntry[];
  /** Images in the manifest (a plan has one entry per image, and one per orphan). */
  total: number;
}

/** A check's verdict on a plan of the whole project. */
export function checkResult(plan: Plan): CheckResult {
  const problems = plan.entries.filter((e) => e.action !== 'unchanged' && e.action !== 'orphan');
  const orphans = plan.entries.filter((e) => e.action === 'orphan');
  return {
    ok: problems.length === 0,
    problems,
    orphans,
    total: plan.entries.length - orphans.length,
  };
}
