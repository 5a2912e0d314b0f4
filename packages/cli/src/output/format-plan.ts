import { formatAmount, formatCost, plural, type Plan, type PlanAction } from '@pixlock/core/light';
import type { PlanCounts } from './json-documents.js';
import { createStyle, type Style } from './style.js';

const SYMBOLS: Record<PlanAction, string> = {
  create: '  +',
  regenerate: '-/+',
  reprocess: '  ~',
  restore: '  ~',
  move: '  ~',
  unchanged: '   ',
  orphan: '  -',
};

// Terraform's colours: green adds, yellow replaces, cyan is free work, red goes away.
const COLOURS: Record<PlanAction, keyof Style | undefined> = {
  create: 'green',
  regenerate: 'yellow',
  reprocess: 'cyan',
  restore: 'cyan',
  move: 'cyan',
  unchanged: undefined,
  orphan: 'red',
};

/** Options of {@link formatPlan}. */
export interface FormatPlanOptions {
  showUnchanged?: boolean;
  /** Colour the symbols (ANSI). */
  color?: boolean;
}

/** A Terraform-like listing of a plan: one line per image that changes, then the totals. */
export function formatPlan(plan: Plan, options: FormatPlanOptions = {}): string[] {
  const style = createStyle(options.color ?? false);
  const shown = plan.entries.filter((e) => options.showUnchanged || e.action !== 'unchanged');
  const idWidth = Math.min(40, Math.max(2, ...shown.map((e) => e.id.length)));
  const lines = shown.map((e) => {
    const credits = e.credits > 0 ? formatAmount(e.credits, plan.currency) : '';
    const colour = COLOURS[e.action];
    const symbol = colour ? style[colour](SYMBOLS[e.action]) : SYMBOLS[e.action];
    return `${symbol} ${e.id.padEnd(idWidth)}  ${e.action.padEnd(10)}  ${credits.padEnd(11)}  ${e.reason}`.trimEnd();
  });
  return [...lines, ...(lines.length ? [''] : []), planTotals(plan)];
}

/** The numbers of {@link planTotals}, by name: the text and `--json` share them. */
export function planCounts(plan: Plan): PlanCounts {
  const n = (a: PlanAction) => plan.entries.filter((e) => e.action === a).length;
  return {
    create: n('create'),
    regenerate: n('regenerate'),
    rebuild: n('reprocess') + n('restore'),
    move: n('move'),
    orphan: n('orphan'),
    unchanged: n('unchanged'),
  };
}

/** True when `generate` would do something (orphans are `prune`'s, not `generate`'s). */
export function planHasChanges(counts: PlanCounts): boolean {
  return counts.create + counts.regenerate + counts.rebuild + counts.move > 0;
}

/** "Plan: 2 to create, ... Estimated 30 credits ($0.150)." (or "Estimated $0.117.") */
export function planTotals(plan: Plan): string {
  const c = planCounts(plan);
  const parts = [
    `${c.create} to create`,
    `${c.regenerate} to regenerate`,
    `${c.rebuild} to rebuild from kept originals (free)`,
    // Only when outDir changed: the line every other plan prints stays as it was.
    ...(c.move > 0 ? [`${c.move} to move to the new outDir (free)`] : []),
    `${c.orphan} orphaned`,
    `${c.unchanged} unchanged`,
  ];
  const resumed = plan.entries.filter((e) => e.resumeTaskId).length;
  const resume = resumed > 0 ? ` ${plural(resumed, 'paid task')} will be resumed.` : '';
  return `Plan: ${parts.join(', ')}. Estimated ${formatCost(plan.credits, plan.currency)}.${resume}`;
}
