import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import { checkResult, type CheckResult } from './check-result.js';
import { CacheSession } from './cache/cache-session.js';
import { projectPaths } from '../disk/project-paths.js';
import { readProject } from './load-project.js';
import { planSnapshot } from './plan-project.js';

export type { CheckResult } from './check-result.js';

/**
 * Compares manifest, lock and disk. Changes nothing of the project: no manifest, lock,
 * original or output is written. A check that completes refreshes the local caches of what it
 * read (`.pixlock/cache/`, never committed, and only where `.pixlock/` is already, but for the
 * lock's and the hashes'; see cache-files.ts); one that fails writes nothing at all.
 */
export async function check(config: string): Promise<CheckResult> {
  return (await checkProject(config)).result;
}

/** {@link check}, with the manifest it read (for the CLI's check of the type declarations). */
export async function checkProject(
  config: string,
): Promise<{ result: CheckResult; manifest: ResolvedManifest }> {
  const paths = projectPaths(config);
  const cache = new CacheSession(paths.cacheDir);
  const project = await readProject(paths, cache);
  const { plan } = await planSnapshot(project, cache).finally(() => project.stores?.close());
  await cache.commit();
  return { result: checkResult(plan), manifest: project.manifest };
}
