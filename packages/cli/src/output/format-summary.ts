import type { RunResult } from '@pixlock/core';

/** The end-of-run summary: what happened to the images and what it cost. */
export function formatSummary(run: RunResult): string[] {
  const c = run.counts;
  const reused = c.reprocessed + c.restored + c.unchanged;
  const lines = [
    `Done: ${c.created + c.regenerated} created, ${c.resumed} resumed, ${reused} reused ` +
      `(${c.reprocessed} reprocessed, ${c.restored} restored), ${c.failed} failed, ${c.skipped} skipped` +
      (c.interrupted ? `, ${c.interrupted} interrupted` : '') +
      `. Credits used: ${run.credits} ($${run.usd.toFixed(3)}).`,
  ];
  const budget = run.results.filter((r) => r.skipReason === 'budget');
  if (budget.length > 0) lines.push(`skipped for budget: ${budget.map((r) => r.id).join(', ')}`);
  for (const r of run.results) {
    if (r.outcome === 'failed') lines.push(`failed: ${r.error?.message ?? r.id}`);
    if (r.skipReason === 'unconfirmed') lines.push(`held: ${r.error?.message ?? r.id}`);
  }
  if (run.stoppedBy) lines.push(`stopped: ${run.stoppedBy.message}`);
  if (run.interrupted)
    lines.push(
      'interrupted: finished images are in the lock; run again to continue (paid tasks are resumed).',
    );
  return lines;
}
