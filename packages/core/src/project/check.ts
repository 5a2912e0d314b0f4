import { checkResult, type CheckResult } from './check-result.js';
import { loadProject } from './load-project.js';
import { planProject } from './plan-project.js';

export type { CheckResult } from './check-result.js';

/** Compares manifest, lock and disk without changing anything. */
export async function check(config: string): Promise<CheckResult> {
  const { plan } = await planProject(await loadProject(config));
  return checkResult(plan);
}
