import picomatch from 'picomatch';
import { PixlockError } from '../errors.js';
import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import { closestName } from '../util/closest-name.js';

/**
 * Throws a usage error naming the first `only` pattern that matches no image id of the
 * manifest: a typo there would otherwise plan nothing and exit 0, which reads as "up to date".
 * Matches ids the way the planner does (picomatch, default options).
 */
export function checkOnlyPatterns(
  manifest: ResolvedManifest,
  patterns: readonly string[] | undefined,
): void {
  if (!patterns?.length) return;
  const ids = manifest.images.map((i) => i.id);
  for (const pattern of patterns) {
    const matches = picomatch(pattern);
    if (ids.some((id) => matches(id))) continue;
    const near = closestName(pattern, ids);
    throw new PixlockError(
      'USAGE',
      `--only "${pattern}" matches no image id in ${manifest.file}` +
        (near ? ` (did you mean "${near}"?)` : ''),
    );
  }
}
