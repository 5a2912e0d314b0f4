import { PixlockError, type Diagnostic } from '../errors.js';
import { YamlLocator } from '../manifest/yaml-locator.js';
import { isInsideFolder } from './lock-path.js';
import type { Lockfile } from './lockfile.js';

/**
 * Checks that every output file a lock names lies inside the manifest's `outDir` (the shape
 * check in lock-schema.ts already keeps every path inside the project and out of `.pixlock/`).
 * Pure: `text` is the lock's text, read only to point at the line of a problem. Throws
 * LOCK_INVALID naming the file, line and column of each problem (up to 20).
 */
export function checkLockContainment(
  lock: Lockfile,
  outDir: string,
  file: string,
  text: () => string,
): void {
  const bad: (string | number)[][] = [];
  for (const id in lock.images) {
    const files = lock.images[id]!.output.files;
    for (let i = 0; i < files.length; i++) {
      if (!isInsideFolder(files[i]!.path, outDir))
        bad.push(['images', id, 'output', 'files', i, 'path']);
    }
    if (bad.length >= 20) break;
  }
  if (bad.length === 0) return;
  const locator = new YamlLocator(text());
  const diagnostics: Diagnostic[] = bad.map((p) => ({
    file,
    path: p,
    ...locator.locate(p),
    message: `output path is outside outDir "${outDir}"; pixlock writes and deletes outputs only there`,
  }));
  const first = diagnostics[0]!;
  throw new PixlockError(
    'LOCK_INVALID',
    `${file}:${first.line}:${first.column}: the lockfile is damaged: ${first.message}. If you changed outDir, restore pixlock.lock from git with the old outDir, or move the outputs and edit their paths`,
    { diagnostics },
  );
}
