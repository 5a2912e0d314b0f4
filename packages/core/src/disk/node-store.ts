import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { ProjectStore } from '../engine/ports.js';
import { extensionForMediaType, PIXLOCK_DIR } from './project-paths.js';

/**
 * The project's files on the local disk. Outputs and the lock are written with
 * write-file-atomic (temp file, fsync, rename), so a kill at any instant leaves either the old
 * or the new file. Originals arrive in `.pixlock/tmp/` and are renamed into place, on the same
 * file system, only after they were verified.
 */
export function nodeStore(dir: string, lockFile: string): ProjectStore {
  const tmpDir = path.join(dir, PIXLOCK_DIR, 'tmp');
  const originalsDir = path.join(dir, PIXLOCK_DIR, 'originals');
  const made = new Set<string>();
  const ensureDir = async (d: string) => {
    if (made.has(d)) return;
    await mkdir(d, { recursive: true });
    made.add(d);
  };
  return {
    tempPath(suffix) {
      return path.join(
        tmpDir,
        `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}${suffix}`,
      );
    },
    readTemp(p) {
      return readFile(p);
    },
    async removeTemp(p) {
      await rm(p, { force: true });
    },
    async adoptOriginal(tempPath, sha256, mediaType) {
      await ensureDir(originalsDir);
      await rename(
        tempPath,
        path.join(originalsDir, `${sha256}.${extensionForMediaType(mediaType)}`),
      );
    },
    async readOriginal(sha256, mediaType) {
      return readFile(path.join(originalsDir, `${sha256}.${extensionForMediaType(mediaType)}`));
    },
    async writeOutput(relPath, data) {
      const file = path.join(dir, relPath);
      await ensureDir(path.dirname(file));
      await writeFileAtomic(file, data);
    },
    async removeOutput(relPath) {
      await rm(path.join(dir, relPath), { force: true });
    },
    async writeLock(text) {
      await writeFileAtomic(lockFile, text);
    },
  };
}

/** Creates the temporary folder a run downloads into (and clears what a killed run left). */
export async function prepareTempDir(dir: string): Promise<void> {
  const tmpDir = path.join(dir, PIXLOCK_DIR, 'tmp');
  await rm(tmpDir, { recursive: true, force: true });
  await mkdir(tmpDir, { recursive: true });
}
