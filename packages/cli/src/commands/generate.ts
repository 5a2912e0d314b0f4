import path from 'node:path';
import type { GenerateResult, Plan, RunResult } from '@pixlock/core';
import { runResult } from '@pixlock/core/light';
import { EXIT_DISK, EXIT_FAILED, EXIT_OK, isDiskCode } from '../exit-codes.js';
import { formatSummary, runCounts } from '../output/format-summary.js';
import { JSON_VERSION, jsonText, type GenerateDocument } from '../output/json-documents.js';
import { relative, type Terminal } from '../output/terminal.js';
import { writeDeclarationsIfUsed } from '../project/declarations.js';
import { writeSchemaCopy } from '../project/support-files.js';
import { upToDatePlan } from '../project/up-to-date-plan.js';
import { printPlan } from './plan.js';
import { plural } from '@pixlock/core/light';

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
  resume?: string[];
  /** Create tasks and exit without waiting for them (they stay pending; a later run collects them). */
  noWait?: boolean;
  signal?: AbortSignal;
}

/**
 * `pixlock generate`: plans and applies; exit 1 when an image failed, is held (its create may
 * be paid), or frozen work needs the provider. Also keeps pixlock-env.d.ts (when the Vite
 * plugin is installed) and the schema copy current.
 */
export async function generateCommand(
  term: Terminal,
  opts: GenerateCommandOptions,
): Promise<number> {
  const config = path.resolve(term.cwd, opts.config);
  // Nothing changed since a run found nothing to do: answered without reading the project.
  const upToDate = await upToDatePlan(config, opts);
  if (upToDate) {
    if (opts.dryRun) {
      printPlan(term, upToDate, 'generate', opts);
      return EXIT_OK;
    }
    await writeSchemaCopy(config);
    return report(term, opts, upToDate, runResult(upToDate, new Map()));
  }
  const { generate } = await import('@pixlock/core');
  const progress = opts.json
    ? undefined
    : (await import('../output/progress.js')).progressReporter(term);
  let result: GenerateResult;
  try {
    result = await generate({
      config,
      env: term.env,
      ...(opts.concurrency !== undefined && { concurrency: opts.concurrency }),
      ...(opts.only && { only: opts.only }),
      ...(opts.force && { force: opts.force }),
      ...(opts.dryRun !== undefined && { dryRun: opts.dryRun }),
      ...(opts.frozen !== undefined && { frozen: opts.frozen }),
      ...(opts.maxCredits !== undefined && { maxCredits: opts.maxCredits }),
      ...(opts.resume && { resume: opts.resume }),
      ...(opts.noWait && { noWait: true }),
      ...(opts.signal && { signal: opts.signal }),
      ...(progress && { onEvent: progress.onEvent }),
      logger: { info: (m) => term.err(m), warn: (m) => term.err(`warning: ${m}`) },
    });
  } finally {
    progress?.stop();
  }
  const { plan, run, project } = result;
  if (!run) {
    printPlan(term, plan, 'generate', opts);
    return EXIT_OK;
  }
  const declarations = await writeDeclarationsIfUsed(project.manifest);
  if (declarations) term.err(`wrote ${relative(term, declarations.file)}`);
  await writeSchemaCopy(config);
  return report(term, opts, plan, run);
}

/**
 * Prints what a run did (text or a {@link GenerateDocument}, with `extra` fields) and returns
 * the exit code.
 */
export function report(
  term: Terminal,
  opts: Pick<GenerateCommandOptions, 'json'>,
  plan: Plan,
  run: RunResult,
  extra: Partial<GenerateDocument> = {},
): number {
  const frozenBlocked = run.results.filter((r) => r.skipReason === 'frozen');
  const held = run.results.some((r) => r.skipReason === 'unconfirmed');
  const unpushed = run.unpushed ?? [];
  const ok =
    unpushed.length === 0 &&
    run.counts.failed === 0 &&
    frozenBlocked.length === 0 &&
    !held &&
    !run.interrupted &&
    !run.stoppedBy;
  if (opts.json) {
    const doc: GenerateDocument = {
      version: JSON_VERSION,
      command: 'generate',
      ok,
      counts: runCounts(run),
      credits: run.credits,
      usd: run.usd,
      ...(run.currency && { currency: run.currency }),
      frozen: frozenBlocked.map((r) => r.id),
      plan,
      run,
      ...extra,
    };
    term.out(jsonText(doc));
  } else {
    for (const line of formatSummary(run)) term.out(line);
    // A full or failing disk stopped the run: one line on stderr says which and where.
    if (run.stoppedBy && isDiskCode(run.stoppedBy.code))
      term.err(`error ${run.stoppedBy.code}: ${run.stoppedBy.message}`);
    if (unpushed.length > 0) {
      term.err(
        `error STORE_UNPUSHED: ${plural(unpushed.length, 'object', 'objects')} the lock names could not be pushed to the store; they are kept locally, and the next run (or pixlock store push) pushes them first:`,
      );
      for (const u of unpushed)
        term.err(`  ${u.object}${u.id ? ` (${u.id})` : ''}: ${u.code}: ${u.message}`);
    }
    if (frozenBlocked.length > 0) {
      term.out(
        `--frozen: ${plural(frozenBlocked.length, 'image needs', 'images need')} the provider: ${frozenBlocked.map((r) => r.id).join(', ')}`,
      );
      // Why each is stale (an edit, or an image it is built on that changed).
      const why = new Map(plan.entries.map((e) => [e.id, e.reason]));
      for (const r of frozenBlocked) term.out(`  ${r.id}: ${why.get(r.id) ?? r.action}`);
      term.err(
        'run "pixlock generate" without --frozen (it spends credits), then commit pixlock.lock and .pixlock/originals',
      );
    }
  }
  if (ok) return EXIT_OK;
  return run.stoppedBy && isDiskCode(run.stoppedBy.code) ? EXIT_DISK : EXIT_FAILED;
}
