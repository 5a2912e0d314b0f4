import { PixlockError, type Diagnostic } from '../errors.js';
import { YamlLocator } from '../util/yaml-locator.js';
import type { Lockfile } from './lockfile.js';
import { outputFolderOf, outputPathProblem } from './output-path.js';

export { outputPathProblem } from './output-path.js';

/**
 * Checks that every output file a lock names is one pixlock would make for that image:
 * `<dir>/<id>.<ext>` or `<dir>/<id>-<width>.<ext>` with an image extension, all of one image's
 * files in one folder (the shape check in lock-schema.ts already keeps every path inside the
 * project and out of `.pixlock/`). The folder is `outDir`, or the one an earlier `outDir` put
 * them in (a move the plan will make); never inside `.git`. The name alone is not trusted
 * with a file outside outDir: the store moves or removes one only when its bytes are the
 * sha256 the lock records (project/local-files.ts). With `outDir: .` a lock naming `pixlock.yaml`,
 * `.git/HEAD` or a source file would otherwise have `prune` (or a reprocess) delete it.
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
    let folder: string | undefined;
    for (let i = 0; i < files.length; i++) {
      const at = ['images', id, 'output', 'files', i, 'path'];
      const rel = files[i]!.path;
      const message = outputPathProblem(rel, outDir, id);
      if (message) bad.push({ at, message });
      else if (folder === undefined) folder = outputFolderOf(rel, id);
      else if (outputFolderOf(rel, id) !== folder)
        bad.push({
          at,
          message: `output path "${rel}" is not in "${folder}" with the image's other outputs`,
        });
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
    `${file}:${first.line}:${first.column}: the lockfile is damaged: ${first.message}. Restore pixlock.lock from git, or delete its damaged entries (their images are then generated again)`,
    { diagnostics },
  );
}
