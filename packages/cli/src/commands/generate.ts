import path from 'node:path';
import { generate, type GenerateResult } from '@pixlock/core';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import { formatPlan } from '../output/format-plan.js';
import { progressReporter } from '../output/progress.js';
import { formatSummary } from '../output/format-summary.js';
import type { Terminal } from '../output/terminal.js';

/** Options of `pixlock generate`. */
export interface GenerateCommandOptions {
  config: string;
  json: boolean;
  concurrency?: number;
  only?: string[];
  force?: string[];
  dryRun?: boolean;
  frozen?: boolean;
  maxCredits?: number;
  signal?: AbortSignal;
}

/**
 * `pixlock generate`: plans and applies; exit 1 when an image failed, is held (its create may
 * be paid), or frozen work needs the provider.
 */
export async function generateCommand(
  term: Terminal,
  opts: GenerateCommandOptions,
): Promise<number> {
  const progress = opts.json ? undefined : progressReporter(term);
  let result: GenerateResult;
  try {
    result = await generate({
      config: path.resolve(term.cwd, opts.config),
      ...(opts.concurrency !== undefined && { concurrency: opts.concurrency }),
      ...(opts.only && { only: opts.only }),
      ...(opts.force && { force: opts.force }),
      ...(opts.dryRun !== undefined && { dryRun: opts.dryRun }),
      ...(opts.frozen !== undefined && { frozen: opts.frozen }),
      ...(opts.maxCredits !== undefined && { maxCredits: opts.maxCredits }),
      ...(opts.signal && { signal: opts.signal }),
      ...(progress && { onEvent: progress.onEvent }),
      logger: { info: (m) => term.err(m), warn: (m) => term.err(`warning: ${m}`) },
    });
  } finally {
    progress?.stop();
  }
  const { plan, run } = result;
  if (!run) {
    if (opts.json) term.out(JSON.stringify(plan, null, 2));
    else for (const line of formatPlan(plan)) term.out(line);
    return EXIT_OK;
  }
  const frozenBlocked = run.results.filter((r) => r.skipReason === 'frozen');
  const held = run.results.some((r) => r.skipReason === 'unconfirmed');
  const ok =
    run.counts.failed === 0 &&
    frozenBlocked.length === 0 &&
    !held &&
    !run.interrupted &&
    !run.stoppedBy;
  if (opts.json) {
    term.out(JSON.stringify({ ok, plan, run }, null, 2));
  } else {
    for (const line of formatSummary(run)) term.out(line);
    if (frozenBlocked.length > 0) {
      term.out(
        `--frozen: ${frozenBlocked.length} images need the provider: ${frozenBlocked.map((r) => r.id).join(', ')}`,
      );
      term.out(
        'run "pixlock generate" without --frozen (it spends credits), then commit pixlock.lock and .pixlock/originals',
      );
    }
  }
  return ok ? EXIT_OK : EXIT_FAILED;
}
