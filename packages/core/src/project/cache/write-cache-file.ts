import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SafeFolders } from '../../disk/safe-folders.js';

let serial = 0;

/**
 * Makes `.pixlock/cache/` (local speed-ups, never committed: it holds its own `.gitignore`)
 * and writes a file in it, never through a symlink. Written beside and renamed into place, so
 * a reader (another pixlock process, the Vite plugin) sees one writer's whole file or the one
 * before, never two writers' bytes mixed: a cache whose key line came from one run and whose
 * data from another would vouch for the wrong thing.
 */
export async function writeCacheFile(cacheDir: string, name: string, data: string): Promise<void> {
  // cacheDir is <project>/.pixlock/cache: check from the project folder down.
  const safe = new SafeFolders(path.dirname(path.dirname(cacheDir)));
  const rel = path.relative(safe.root, cacheDir).split(path.sep).join('/');
  await writeFile(safe.resolve(`${rel}/.gitignore`, true)!, '*\n');
  const target = safe.resolve(`${rel}/${name}`, true)!;
  const temp = safe.resolve(`${rel}/${name}.${process.pid}.${serial++}.tmp`, true)!;
  try {
    // A fresh file (never through a link planted at its guessable name).
    await writeFile(temp, data, { flag: 'wx' });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
