import type { RunResult } from '@pixlock/core';
import { formatCost } from '@pixlock/core/light';
import type { RunCounts } from './json-documents.js';

/** The numbers of the summary line, by name: the text and `--json` share them. */
export function runCounts(run: RunResult): RunCounts {
  const c = run.counts;
  return {
    created: c.created + c.regenerated,
    resumed: c.resumed,
    reused: c.reprocessed + c.restored + c.moved + c.unchanged,
    reprocessed: c.reprocessed,
    restored: c.restored,
    moved: c.moved,
    failed: c.failed,
    skipped: c.skipped,
    interrupted: c.interrupted,
    submitted: c.submitted,
  };
}

/** The end-of-run summary: what happened to the images and what it cost. */
export function formatSummary(run: RunResult): string[] {
  const c = runCounts(run);
  const lines = [
    `Done: ${c.created} created, ${c.resumed} resumed, ${c.reused} reused ` +
      `(${c.reprocessed} reprocessed, ${c.restored} restored${c.moved ? `, ${c.moved} moved` : ''}), ${c.failed} failed, ${c.skipped} skipped` +
      (c.interrupted ? `, ${c.interrupted} interrupted` : '') +
      (c.submitted ? `, ${c.submitted} submitted` : '') +
      (run.currency === undefined
        ? `. Credits used: ${run.credits} ($${run.usd.toFixed(3)}).`
        : `. Spent: ${formatCost(run.credits, run.currency)}.`),
  ];
  const budget = run.results.filter((r) => r.skipReason === 'budget');
  if (budget.length > 0) lines.push(`skipped for budget: ${budget.map((r) => r.id).join(', ')}`);
  for (const r of run.results) {
    if (r.outcome === 'failed') lines.push(`failed: ${r.error?.message ?? r.id}`);
    if (r.skipReason === 'unconfirmed') lines.push(`held: ${r.error?.message ?? r.id}`);
    if (r.skipReason === 'reference-failed') lines.push(`skipped: ${r.error?.message ?? r.id}`);
  }
  if (c.submitted > 0)
    lines.push(
      `submitted: ${c.submitted} still at the provider, recorded in pixlock.lock (counted in the spend of the run that collects them); run "pixlock generate" again to collect them`,
    );
  if (run.stoppedBy) lines.push(`stopped: ${run.stoppedBy.message}`);
  if (run.interrupted)
    lines.push(
      'interrupted: finished images are in the lock; run again to continue (paid tasks are resumed).',
    );
  return lines;
}
