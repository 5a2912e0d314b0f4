import { PixlockError, type Diagnostic } from '../errors.js';
import { YamlLocator } from '../manifest/yaml-locator.js';
import { isInsideFolder } from './lock-path.js';
import type { Lockfile } from './lockfile.js';

/**
 * Checks that every output file a lock names is one pixlock would make for that image:
 * `<outDir>/<id>.<ext>` or `<outDir>/<id>-<width>.<ext>` with an image extension (the shape
 * check in lock-schema.ts already keeps every path inside the project and out of `.pixlock/`).
 * Inside outDir alone is not enough: with `outDir: .` a lock naming `pixlock.yaml`,
 * `.git/HEAD` or a source file would have `prune` (or a reprocess) delete it.
 * Pure: `text` is the lock's text, read only to point at the line of a problem. Throws
 * LOCK_INVALID naming the file, line and column of each problem (up to 20).
 */
export function checkLockContainment(
  lock: Lockfile,
  outDir: string,
  file: string,
  text: () => string,
): void {
  const bad: { at: (string | number)[]; message: string }[] = [];
  for (const id in lock.images) {
    const files = lock.images[id]!.output.files;
    for (let i = 0; i < files.length; i++) {
      const message = outputPathProblem(files[i]!.path, outDir, id);
      if (message) bad.push({ at: ['images', id, 'output', 'files', i, 'path'], message });
    }
    if (bad.length >= 20) break;
  }
  if (bad.length === 0) return;
  const locator = new YamlLocator(text());
  const diagnostics: Diagnostic[] = bad.map(({ at, message }) => ({
    file,
    path: at,
    ...locator.locate(at),
    message,
  }));
  const first = diagnostics[0]!;
  throw new PixlockError(
    'LOCK_INVALID',
    `${file}:${first.line}:${first.column}: the lockfile is damaged: ${first.message}. If you changed outDir, restore pixlock.lock from git with the old outDir, or move the outputs and edit their paths`,
    { diagnostics },
  );
}

/**
 * Why a lock (or journal) entry for image `id` may not name output `rel`, or undefined when it
 * is `<outDir>/<id>.<ext>` or `<outDir>/<id>-<width>.<ext>`.
 */
export function outputPathProblem(rel: string, outDir: string, id: string): string | undefined {
  if (!isInsideFolder(rel, outDir)) {
    return `output path is outside outDir "${outDir}"; pixlock writes and deletes outputs only there`;
  }
  if (!isOutputName(rel, outDir, id)) {
    return `output path "${rel}" is not a file pixlock makes for image "${id}" (<outDir>/<id>.<ext> or <outDir>/<id>-<width>.<ext>); pixlock writes and deletes only its own outputs`;
  }
  return undefined;
}

const OUTPUT_SUFFIX = /^(-[1-9][0-9]*)?\.(webp|avif|png|jpg)$/;

/** Whether `rel` is a name outputFiles() can give image `id` (see plan/output-files.ts). */
function isOutputName(rel: string, outDir: string, id: string): boolean {
  const base = outDir === '.' ? id : `${outDir}/${id}`;
  return rel.startsWith(base) && OUTPUT_SUFFIX.test(rel.slice(base.length));
}
