/**
 * Throws a usage error naming the first `--only` pattern that matches no image id of the
 * manifest: a typo there would otherwise plan nothing and exit 0, which reads as "up to date".
 * Matches ids the way the planner does (picomatch, default options).
 */
export async function checkOnlyPatterns(
  config: string,
  patterns: readonly string[] | undefined,
): Promise<void> {
  if (!patterns?.length) return;
  const { closestName, loadManifest, PixlockError } = await import('@pixlock/core');
  const { default: picomatch } = await import('picomatch');
  const ids = (await loadManifest(config)).images.map((i) => i.id);
  for (const pattern of patterns) {
    const matches = picomatch(pattern);
    if (ids.some((id) => matches(id))) continue;
    const near = closestName(pattern, ids);
    throw new PixlockError(
      'USAGE',
      `--only "${pattern}" matches no image id in ${config}` +
        (near ? ` (did you mean "${near}"?)` : ''),
    );
  }
}
