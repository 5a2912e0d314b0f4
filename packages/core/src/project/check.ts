import type { PlanEntry } from '../plan/plan.js';
import { loadProject, planProject } from './load-project.js';

/** What {@link check} found. */
export interface CheckResult {
  /** True when every image is generated, locked and unmodified on disk. */
  ok: boolean;
  /** Images that are not: with the action `generate` would take and why. */
  problems: PlanEntry[];
  /** Lock entries no longer in the manifest (not a failure; `prune` removes them). */
  orphans: PlanEntry[];
  total: number;
}

/** Compares manifest, lock and disk without changing anything. */
export async function check(config: string): Promise<CheckResult> {
  const project = await loadProject(config);
  const { plan } = await planProject(project);
  const problems = plan.entries.filter((e) => e.action !== 'unchanged' && e.action !== 'orphan');
  const orphans = plan.entries.filter((e) => e.action === 'orphan');
  return { ok: problems.length === 0, problems, orphans, total: project.manifest.images.length };
}
