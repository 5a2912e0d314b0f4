import path from 'node:path';
import { loadProject } from '@pixlock/core';
import { EXIT_OK } from '../exit-codes.js';
import type { Terminal } from '../output/terminal.js';

/** `pixlock validate`: reads the manifest, included files and lock; reports every problem. */
export async function validateCommand(
  term: Terminal,
  opts: { config: string; json: boolean },
): Promise<number> {
  const project = await loadProject(path.resolve(term.cwd, opts.config));
  const { manifest } = project;
  if (opts.json) {
    term.out(
      JSON.stringify({ ok: true, files: manifest.files, images: manifest.images.length }, null, 2),
    );
  } else {
    const files = manifest.files.length;
    term.err(
      `valid: ${manifest.images.length} images in ${files} file${files === 1 ? '' : 's'}; lock ok`,
    );
  }
  return EXIT_OK;
}
