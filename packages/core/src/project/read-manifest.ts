import { checkProjectFolders } from '../disk/check-project-folders.js';
import type { ProjectPaths } from '../disk/project-paths.js';
import { globIncludesAgain } from '../manifest/glob-includes.js';
import { loadManifest } from '../manifest/load-manifest.js';
import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import { nodeFileSource } from '../sources/node-file-source.js';
import type { CacheSession } from './cache/cache-session.js';
import {
  cachedManifest,
  rememberManifest,
  takeWitness,
  type ManifestWitness,
} from './cache/manifest-cache.js';

/**
 * The project's manifest, from the working tree: taken from the cache while everything it was
 * checked against holds (manifest-cache.ts), else read and checked in full, and then staged in
 * the cache, to be written when the command succeeds. Refuses (PATH_UNSAFE) a `.pixlock/` or
 * one of its folders that is a link before its cache is read.
 */
export async function readManifest(
  paths: ProjectPaths,
  cache: CacheSession,
): Promise<ResolvedManifest> {
  const file = paths.manifestFile;
  checkProjectFolders(paths.dir);
  const cached = await cachedManifest(cache, file, globIncludesAgain(file));
  if (cached) return cached;
  let witness: ManifestWitness | undefined;
  const manifest = await loadManifest(file, nodeFileSource, {
    beforeChecks: async (sources) => void (witness = await takeWitness(sources)),
  });
  if (witness) rememberManifest(cache, witness, manifest);
  return manifest;
}
