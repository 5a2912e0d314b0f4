import path from 'node:path';
import { originalRelPath } from '../disk/project-paths.js';
import { PixlockError } from '../errors.js';
import type { FileSource } from '../sources/file-source.js';
import { sha256 as sha256Of } from '../util/sha256.js';
import type { OriginalsStore } from './originals-store.js';

/**
 * The originals a {@link FileSource} holds in the project folder `dir` (a git commit's
 * `.pixlock/originals/`, for the base of a review): read-only, each read verified against its
 * sha256, never through a link.
 */
export function sourceOriginals(source: FileSource, dir: string): OriginalsStore {
  const file = (sha256: string, mediaType: string) =>
    path.join(dir, ...originalRelPath(sha256, mediaType).split('/'));
  return {
    name: `.pixlock/originals in ${source.description}`,
    locate: (key) => `${originalRelPath(key.sha256, key.mediaType)} in ${source.description}`,
    recovery: () => `it is in ${source.description} or nowhere`,
    async has(keys) {
      const present = new Set<string>();
      for (const key of keys)
        if (await source.exists(file(key.sha256, key.mediaType))) present.add(key.sha256);
      return present;
    },
    async get(key) {
      const bytes = await source.readPlainFile(file(key.sha256, key.mediaType));
      if (!bytes) return { status: 'missing' };
      return sha256Of(bytes) === key.sha256 ? { status: 'found', bytes } : { status: 'damaged' };
    },
    put() {
      return Promise.reject(
        new PixlockError(
          'INTERNAL',
          `${source.description} is read-only: no original is kept there`,
        ),
      );
    },
  };
}
