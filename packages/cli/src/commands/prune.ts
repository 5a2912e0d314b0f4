import path from 'node:path';
import { prune } from '@pixlock/core';
import { EXIT_OK } from '../exit-codes.js';
import { JSON_VERSION, jsonText, type PruneDocument } from '../output/json-documents.js';
import { plural } from '@pixlock/core/light';
import { relative, type Terminal } from '../output/terminal.js';
import { staleDeclarations, writeDeclarationsIfUsed } from '../project/declarations.js';

/**
 * `pixlock prune`: removes orphans' lock entries and outputs, and unreferenced originals, and
 * brings pixlock-env.d.ts (when the Vite plugin is installed) in line with the manifest: the
 * images pruned were dropped from it, and their modules must go from the declarations too.
 */
export async function pruneCommand(
  term: Terminal,
  opts: { config: string; json: boolean; dryRun?: boolean },
): Promise<number> {
  const config = path.resolve(term.cwd, opts.config);
  const result = await prune(config, { dryRun: opts.dryRun ?? false });
  const { manifest } = result;
  const types = result.dryRun
    ? await staleDeclarations(manifest)
    : (await writeDeclarationsIfUsed(manifest))?.file;
  const counts = {
    lockEntries: result.ids.length,
    outputs: result.files.length,
    originals: result.originals.length,
  };
  if (opts.json) {
    const doc: PruneDocument = {
      version: JSON_VERSION,
      command: 'prune',
      ok: true,
      dryRun: result.dryRun,
      counts,
      ids: result.ids,
      files: result.files,
      kept: result.kept,
      originals: result.originals,
      ...(types && { types }),
    };
    term.out(jsonText(doc));
    return EXIT_OK;
  }
  const verb = result.dryRun ? 'would remove' : 'removed';
  for (const id of result.ids) term.out(`  - ${id}`);
  for (const f of [...result.files, ...result.originals]) term.out(`    ${f}`);
  term.out(
    `${verb} ${plural(counts.lockEntries, 'lock entry', 'lock entries')}, ${plural(counts.outputs, 'output')}, ${plural(counts.originals, 'original')}`,
  );
  if (types) term.err(`${result.dryRun ? 'would write' : 'wrote'} ${relative(term, types)}`);
  if (result.kept.length > 0) {
    term.err(
      `kept ${plural(result.kept.length, 'output')} of removed images: not the bytes the lock records (edited since), or a file the manifest reads`,
    );
    for (const f of result.kept) term.err(`    ${f}`);
  }
  return EXIT_OK;
}
