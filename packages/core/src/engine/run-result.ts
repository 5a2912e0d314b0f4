import type { Plan } from '../plan/plan-types.js';
import { costTotal } from '../pricing/cost-total.js';
import type { ImageOutcome, ImageResult, RunResult } from './run-types.js';

const OUTCOMES: readonly ImageOutcome[] = [
  'created',
  'regenerated',
  'resumed',
  'reprocessed',
  'restored',
  'moved',
  'unchanged',
  'failed',
  'skipped',
  'interrupted',
  'submitted',
];

/**
 * A run's result from what each image ended as, in plan order: an image the run did not touch
 * (unchanged, an orphan, one not reached) is `unchanged` at no cost.
 */
export function runResult(
  plan: Plan,
  done: ReadonlyMap<string, ImageResult>,
  end: Pick<RunResult, 'interrupted' | 'stoppedBy'> = { interrupted: false },
): RunResult {
  const results = plan.entries.map(
    (entry): ImageResult =>
      done.get(entry.id) ?? {
        id: entry.id,
        action: entry.action,
        outcome: 'unchanged',
        credits: 0,
      },
  );
  const unpushed = results.flatMap((r) => r.unpushed ?? []);
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<ImageOutcome, number>;
  for (const r of results) counts[r.outcome]++;
  return {
    results,
    counts,
    ...costTotal(
      results.map((r) => r.credits),
      plan.currency,
    ),
    interrupted: end.interrupted,
    ...(end.stoppedBy && { stoppedBy: end.stoppedBy }),
    ...(unpushed.length > 0 && { unpushed }),
  };
}
