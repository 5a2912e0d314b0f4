import path from 'node:path';
import type { BlurPlaceholder, PlaceholderCache } from '../../assets/blur-placeholder.js';
import { readCacheText } from '../../disk/read-regular-file.js';
import { CACHE_FILES } from './cache-files.js';
import { writeCacheFile } from './write-cache-file.js';

/**
 * The blur placeholders kept in a project's cache (`cacheDir`: its `.pixlock/cache`), one file
 * per key under `placeholders/`. Written as soon as one is computed, not staged: a dev server or
 * a build asks for them one module at a time, with no command around them, and an entry is
 * content-addressed, so it never goes stale.
 */
export function placeholderCache(cacheDir: string): PlaceholderCache {
  const name = (key: string) => `${CACHE_FILES.placeholders}/${key}.json`;
  return {
    async get(key) {
      try {
        const data = JSON.parse(
          (await readCacheText(path.join(cacheDir, name(key)))) ?? '',
        ) as Partial<BlurPlaceholder>;
        if (typeof data.dataUri === 'string' && typeof data.thumbhash === 'string')
          return { dataUri: data.dataUri, thumbhash: data.thumbhash };
      } catch {
        // Missing or broken: computed again.
      }
      return undefined;
    },
    async set(key, placeholder) {
      // Atomic (a dev server and a build may compute the same entry at once), through no
      // link, and only a speed-up: a cache that cannot be written (a full disk) is computed
      // again.
      await writeCacheFile(cacheDir, name(key), JSON.stringify(placeholder)).catch(() => undefined);
    },
  };
}
