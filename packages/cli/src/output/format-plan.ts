import { creditsToUsd, type Plan, type PlanAction } from '@pixlock/core';

const SYMBOLS: Record<PlanAction, string> = {
  create: '  +',
  regenerate: '-/+',
  reprocess: '  ~',
  restore: '  ~',
  unchanged: '   ',
  orphan: '  -',
};

/** A Terraform-like listing of a plan: one line per image that changes, then the totals. */
export function formatPlan(plan: Plan, options: { showUnchanged?: boolean } = {}): string[] {
  const shown = plan.entries.filter((e) => options.showUnchanged || e.action !== 'unchanged');
  const idWidth = Math.min(40, Math.max(2, ...shown.map((e) => e.id.length)));
  const lines = shown.map((e) => {
    const credits = e.credits > 0 ? `${e.credits} credits` : '';
    return `${SYMBOLS[e.action]} ${e.id.padEnd(idWidth)}  ${e.action.padEnd(10)}  ${credits.padEnd(11)}  ${e.reason}`.trimEnd();
  });
  return [...lines, ...(lines.length ? [''] : []), planTotals(plan)];
}

/** "Plan: 2 to create, ... Estimated 30 credits ($0.15)." */
export function planTotals(plan: Plan): string {
  const n = (a: PlanAction) => plan.entries.filter((e) => e.action === a).length;
  const local = n('reprocess') + n('restore');
  const parts = [
    `${n('create')} to create`,
    `${n('regenerate')} to regenerate`,
    `${local} to rebuild from kept originals (free)`,
    `${n('orphan')} orphaned`,
    `${n('unchanged')} unchanged`,
  ];
  const resumed = plan.entries.filter((e) => e.resumeTaskId).length;
  const resume =
    resumed > 0 ? ` ${resumed} paid task${resumed === 1 ? '' : 's'} will be resumed.` : '';
  return `Plan: ${parts.join(', ')}. Estimated ${plan.credits} credits ($${creditsToUsd(plan.credits).toFixed(3)}).${resume}`;
}
