import path from 'node:path';
import type { GenerateShardResult } from '@pixlock/core';
import { EXIT_CHANGES, EXIT_OK } from '../exit-codes.js';
import type { ShardPart } from '../output/json-documents.js';
import { formatShardBalance, shardHeadline } from '../output/format-shard.js';
import { relative, type Terminal } from '../output/terminal.js';
import { writeDeclarationsIfUsed } from '../project/declarations.js';
import { writeSchemaCopy } from '../project/support-files.js';
import { report, type GenerateCommandOptions } from './generate.js';
import { printPlan, type PlanCommandOptions } from './plan.js';
import { shardChoice } from './shard-option.js';

/**
 * `pixlock generate --shard <i>/<n>|auto`: generates one shard's share and writes its lock
 * (`pixlock.shard-<i>-of-<n>.lock`), never pixlock.lock; `pixlock merge` folds the shards in.
 * Never answered from the up-to-date record: even a shard with nothing to do writes its lock,
 * which the merge needs.
 */
export async function generateShardCommand(
  term: Terminal,
  opts: GenerateCommandOptions & { shard: string },
): Promise<number> {
  const config = path.resolve(term.cwd, opts.config);
  if (opts.dryRun) {
    await planShard(term, opts, config, 'generate');
    return EXIT_OK;
  }
  const choice = await shardChoice(term, opts.shard);
  const { generateShard } = await import('@pixlock/core');
  const progress = opts.json
    ? undefined
    : (await import('../output/progress.js')).progressReporter(term);
  let result: GenerateShardResult;
  try {
    result = await generateShard({
      config,
      shard: choice.spec,
      env: term.env,
      ...(opts.concurrency !== undefined && { concurrency: opts.concurrency }),
      ...(opts.only && { only: opts.only }),
      ...(opts.force && { force: opts.force }),
      ...(opts.frozen !== undefined && { frozen: opts.frozen }),
      ...(opts.maxCredits !== undefined && { maxCredits: opts.maxCredits }),
      ...(opts.noWait && { noWait: true }),
      ...(opts.resume && { resume: opts.resume }),
      ...(opts.signal && { signal: opts.signal }),
      ...(progress && { onEvent: progress.onEvent }),
      logger: { info: (m) => term.err(m), warn: (m) => term.err(`warning: ${m}`) },
    });
  } finally {
    progress?.stop();
  }
  const { plan, run, project, shard } = result;
  term.err(shardHeadline(shard.split, shard.spec.index, choice.source));
  const declarations = await writeDeclarationsIfUsed(project.manifest);
  if (declarations) term.err(`wrote ${relative(term, declarations.file)}`);
  await writeSchemaCopy(config);
  const code = report(term, opts, plan, run!, { shard: shardPart(result, choice.source) });
  if (!opts.json)
    term.err(
      `wrote ${relative(term, shard.lockFile)}; run "pixlock merge" once all ${shard.spec.total} shards are done`,
    );
  return code;
}

/** `pixlock plan --shard <i>/<n>|auto`: the shard's share of the plan and the balance of all n. */
export async function planShardCommand(
  term: Terminal,
  opts: PlanCommandOptions & { shard: string },
): Promise<number> {
  const config = path.resolve(term.cwd, opts.config);
  const changes = await planShard(term, opts, config, 'plan');
  return opts.detailedExitcode && changes ? EXIT_CHANGES : EXIT_OK;
}

/**
 * `plan --shard` and `generate --dry-run --shard`: the shard's share of the plan, then the
 * balance of all n shards. True when the share has changes.
 */
export async function planShard(
  term: Terminal,
  opts: Pick<PlanCommandOptions, 'json' | 'all' | 'only' | 'force'> & { shard: string },
  config: string,
  command: 'plan' | 'generate',
): Promise<boolean> {
  const choice = await shardChoice(term, opts.shard);
  const { generateShard } = await import('@pixlock/core');
  const result = await generateShard({
    config,
    shard: choice.spec,
    dryRun: true,
    env: term.env,
    ...(opts.only && { only: opts.only }),
    ...(opts.force && { force: opts.force }),
  });
  const { split, spec } = result.shard;
  if (!opts.json) term.err(shardHeadline(split, spec.index, choice.source));
  const changes = printPlan(term, result.plan, command, opts, {
    shard: shardPart(result, choice.source),
  });
  if (!opts.json) {
    term.out('');
    for (const line of formatShardBalance(split, spec.index, result.plan.currency)) term.out(line);
  }
  return changes;
}

function shardPart(result: GenerateShardResult, source: string | undefined): ShardPart {
  const { shard } = result;
  return {
    index: shard.spec.index,
    total: shard.spec.total,
    ...(source && { source }),
    images: shard.images,
    lockFile: path.basename(shard.lockFile),
    split: shard.split.digest,
    balance: shard.split.loads,
    oversized: shard.split.oversized,
  };
}
