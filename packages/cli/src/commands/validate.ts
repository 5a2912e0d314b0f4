import path from 'node:path';
import { loadProject } from '@pixlock/core';
import { EXIT_OK } from '../exit-codes.js';
import { JSON_VERSION, jsonText, type ValidateDocument } from '../output/json-documents.js';
import type { Terminal } from '../output/terminal.js';
import { plural } from '@pixlock/core/light';

/** `pixlock validate`: reads the manifest, included files and lock; reports every problem. */
export async function validateCommand(
  term: Terminal,
  opts: { config: string; json: boolean },
): Promise<number> {
  const project = await loadProject(path.resolve(term.cwd, opts.config));
  const { manifest } = project;
  const counts = { images: manifest.images.length, files: manifest.files.length };
  if (opts.json) {
    const doc: ValidateDocument = {
      version: JSON_VERSION,
      command: 'validate',
      ok: true,
      counts,
      images: counts.images,
      files: manifest.files,
    };
    term.out(jsonText(doc));
  } else {
    term.out(
      `valid: ${plural(counts.images, 'image')} in ${plural(counts.files, 'file')}; lock ok`,
    );
  }
  return EXIT_OK;
}
