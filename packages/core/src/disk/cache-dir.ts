import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Makes `.pixlock/cache/` (local speed-ups, never committed: it holds its own `.gitignore`)
 * and writes a file in it.
 */
export async function writeCacheFile(cacheDir: string, name: string, data: string): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  await writeFile(path.join(cacheDir, '.gitignore'), '*\n');
  await writeFile(path.join(cacheDir, name), data);
}
