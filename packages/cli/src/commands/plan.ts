import path from 'node:path';
import type { Plan } from '@pixlock/core';
import { EXIT_CHANGES, EXIT_OK } from '../exit-codes.js';
import { formatPlanGraph } from '../output/format-plan-graph.js';
import { formatPlan, planCounts, planHasChanges } from '../output/format-plan.js';
import { JSON_VERSION, jsonText, type PlanDocument } from '../output/json-documents.js';
import type { Terminal } from '../output/terminal.js';
import { upToDatePlan } from '../project/up-to-date-plan.js';

/** Options of `pixlock plan`. */
export interface PlanCommandOptions {
  config: string;
  json: boolean;
  only?: string[];
  force?: string[];
  all?: boolean;
  /** Print the reference graph (images built on images) before the plan. */
  graph?: boolean;
  /** Exit 2 when changes are pending (Terraform's `-detailed-exitcode`). */
  detailedExitcode?: boolean;
}

/** `pixlock plan`: what `generate` would do and what it would cost. Changes nothing. */
export async function planCommand(term: Terminal, opts: PlanCommandOptions): Promise<number> {
  const config = path.resolve(term.cwd, opts.config);
  const plan = (await upToDatePlan(config, opts)) ?? (await planAfresh(config, opts));
  if (opts.graph && !opts.json) {
    for (const line of formatPlanGraph(plan, { color: term.color ?? false })) term.out(line);
    term.out('');
  }
  const changes = printPlan(term, plan, 'plan', opts);
  return opts.detailedExitcode && changes ? EXIT_CHANGES : EXIT_OK;
}

/** Prints a plan as text or as a {@link PlanDocument}; true when it has changes. */
export function printPlan(
  term: Terminal,
  plan: Plan,
  command: PlanDocument['command'],
  opts: { json: boolean; all?: boolean },
  extra: Partial<PlanDocument> = {},
): boolean {
  const counts = planCounts(plan);
  const changes = planHasChanges(counts);
  if (opts.json) {
    const doc: PlanDocument = {
      version: JSON_VERSION,
      command,
      ok: true,
      changes,
      counts,
      credits: plan.credits,
      usd: plan.usd,
      ...(plan.currency && { currency: plan.currency }),
      entries: plan.entries,
      ...extra,
    };
    term.out(jsonText(doc));
  } else {
    const lines = formatPlan(plan, {
      showUnchanged: opts.all ?? false,
      color: term.color ?? false,
    });
    for (const line of lines) term.out(line);
  }
  return changes;
}

/** Reads the project in full and plans it: what `generate --dry-run` does. */
async function planAfresh(config: string, opts: PlanCommandOptions): Promise<Plan> {
  const { generate } = await import('@pixlock/core');
  const { plan } = await generate({
    config,
    dryRun: true,
    ...(opts.only && { only: opts.only }),
    ...(opts.force && { force: opts.force }),
  });
  return plan;
}
