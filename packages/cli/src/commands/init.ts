import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  checkProjectFolders,
  PixlockError,
  STARTER_OUT_DIR,
  starterManifest,
  type DeclarationsPlace,
} from '@pixlock/core';
import { EXIT_OK } from '../exit-codes.js';
import { JSON_VERSION, jsonText, type InitDocument } from '../output/json-documents.js';
import { relative, type Terminal } from '../output/terminal.js';
import { typeDeclarationsFile } from '../project/declarations.js';
import { SCHEMA_COPY, writeSchemaCopy } from '../project/support-files.js';

/**
 * `pixlock init`: writes a commented starter manifest (never over one) and the schema copy
 * its `$schema` modeline names, and says where `generate` will put the type declarations:
 * where the app's tsconfig already looks (no edit needed), or the one edit to make.
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
  const types = await typeDeclarationsFile(path.dirname(file));
  if (opts.json) {
    const doc: InitDocument = {
      version: JSON_VERSION,
      command: 'init',
      ok: true,
      file,
      schema,
      ...(types && { types: types.file }),
    };
    term.out(jsonText(doc));
  } else {
    term.out(`wrote ${relative(term, file)} and ${relative(term, schema)}`);
    if (types) term.out(typesNote(term, types));
    term.err('next: pixlock plan, then pixlock generate');
  }
  return EXIT_OK;
}

/** Where the typed imports' declarations will go, and whether the app's tsconfig sees them. */
function typesNote(term: Terminal, place: DeclarationsPlace): string {
  const file = relative(term, place.file);
  if (place.project) {
    return `types: pixlock generate writes ${file}, which ${relative(term, place.project)} already includes`;
  }
  if (place.inputs.length === 0) return `types: pixlock generate writes ${file}`;
  return `types: pixlock generate writes ${file}; add "${path.basename(file)}" to "include" in ${relative(term, place.inputs[0]!)} so TypeScript sees it`;
}
