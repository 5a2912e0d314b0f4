import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SafeFolders } from './safe-folders.js';

/**
 * Makes `.pixlock/cache/` (local speed-ups, never committed: it holds its own `.gitignore`)
 * and writes a file in it, never through a symlink.
 */
export async function writeCacheFile(cacheDir: string, name: string, data: string): Promise<void> {
  // cacheDir is <project>/.pixlock/cache: check from the project folder down.
  const safe = new SafeFolders(path.dirname(path.dirname(cacheDir)));
  const rel = path.relative(safe.root, cacheDir).split(path.sep).join('/');
  await writeFile(safe.resolve(`${rel}/.gitignore`, true)!, '*\n');
  await writeFile(safe.resolve(`${rel}/${name}`, true)!, data);
}
