import path from 'node:path';
import { plural } from '@pixlock/core/light';
import { EXIT_OK } from '../exit-codes.js';
import { JSON_VERSION, jsonText, type MergeDocument } from '../output/json-documents.js';
import { relative, type Terminal } from '../output/terminal.js';

/** Options of `pixlock merge`. */
export interface MergeCommandOptions {
  config: string;
  json: boolean;
  partial?: boolean;
  dryRun?: boolean;
}

/**
 * `pixlock merge [files...]`: folds the shard locks of a run (default: every
 * `pixlock.shard-*-of-*.lock` beside the manifest) into pixlock.lock and removes them. A
 * refusal (a shard missing, shards of another run, an image recorded two ways) is exit 2
 * naming the files, with nothing written.
 */
export async function mergeCommand(
  term: Terminal,
  files: string[],
  opts: MergeCommandOptions,
): Promise<number> {
  const config = path.resolve(term.cwd, opts.config);
  const { mergeShards } = await import('@pixlock/core');
  const result = await mergeShards({
    config,
    env: term.env,
    ...(files.length > 0 && { files: files.map((f) => path.resolve(term.cwd, f)) }),
    ...(opts.partial !== undefined && { partial: opts.partial }),
    ...(opts.dryRun !== undefined && { dryRun: opts.dryRun }),
    logger: { info: (m) => term.err(m), warn: (m) => term.err(`warning: ${m}`) },
  });
  if (opts.json) {
    const doc: MergeDocument = {
      version: JSON_VERSION,
      command: 'merge',
      ok: true,
      dryRun: result.dryRun,
      counts: { shards: result.shards.length, changed: result.changed.length },
      shards: result.shards.map((s) => ({ ...s, file: relative(term, s.file) })),
      changed: result.changed,
      alreadyMerged: result.alreadyMerged,
      manifestChanged: result.manifestChanged,
    };
    term.out(jsonText(doc));
    return EXIT_OK;
  }
  for (const s of result.shards)
    term.out(`  ${s.index}/${s.total}  ${relative(term, s.file)}  ${plural(s.images, 'image')}`);
  const lock = relative(term, result.lockFile);
  const verb = result.dryRun ? 'would merge' : 'merged';
  term.out(
    result.alreadyMerged
      ? `${lock} already holds what the ${plural(result.shards.length, 'shard')} recorded; ${result.dryRun ? 'would remove' : 'removed'} the shard files`
      : `${verb} ${plural(result.shards.length, 'shard')} into ${lock}: ${plural(result.changed.length, 'image')} changed${result.dryRun ? '' : '; shard files removed'}`,
  );
  if (result.manifestChanged)
    term.err(
      'warning: the manifest was edited since the shards ran: their images are recorded as they were made; "pixlock plan" shows what is now out of date',
    );
  return EXIT_OK;
}
