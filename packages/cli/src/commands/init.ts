import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { checkProjectFolders, PixlockError, STARTER_OUT_DIR, starterManifest } from '@pixlock/core';
import { EXIT_OK } from '../exit-codes.js';
import { JSON_VERSION, jsonText, type InitDocument } from '../output/json-documents.js';
import { relative, type Terminal } from '../output/terminal.js';
import { SCHEMA_COPY, writeSchemaCopy } from '../project/support-files.js';

/**
 * `pixlock init`: writes a commented starter manifest (never over one) and the schema copy
 * its `$schema` modeline names.
 */
export async function initCommand(
  term: Terminal,
  opts: { config: string; json: boolean; force?: boolean },
): Promise<number> {
  const file = path.resolve(term.cwd, opts.config);
  if (existsSync(file) && !opts.force) {
    throw new PixlockError('USAGE', `${file} already exists (use --force to overwrite it)`);
  }
  // Nothing written where a folder the new manifest uses (.pixlock/, its outDir) is a link.
  checkProjectFolders(path.dirname(file), [STARTER_OUT_DIR]);
  await writeFile(file, starterManifest());
  await writeSchemaCopy(file, { always: true });
  const schema = path.join(path.dirname(file), SCHEMA_COPY);
  if (opts.json) {
    const doc: InitDocument = { version: JSON_VERSION, command: 'init', ok: true, file, schema };
    term.out(jsonText(doc));
  } else {
    term.out(`wrote ${relative(term, file)} and ${relative(term, schema)}`);
    term.err('next: pixlock plan, then pixlock generate');
  }
  return EXIT_OK;
}
