import ciInfo from 'ci-info';

/**
 * When the plugin may call the image provider:
 * - `auto`: `frozen` on a CI server, so a CI build never spends credits; `generate` otherwise.
 *   CI is detected by `ci-info` (Jenkins, TeamCity, Azure, Bitbucket and others that do not
 *   set `CI`); `CI=false` or `CI=0` says "not CI".
 * - `generate`: generate what changed (may spend credits), like `pixlock generate`.
 * - `frozen`: never call the provider; outputs are still remade from kept originals for
 *   free, and a build fails when an image needs the provider.
 */
export type PixlockMode = 'auto' | 'generate' | 'frozen';

/** Options of the pixlock Vite plugin. */
export interface PixlockPluginOptions {
  /** Path of the manifest, relative to Vite's `root` (default `pixlock.yaml`). */
  config?: string;
  /** When the provider may be called (default `auto`). */
  mode?: PixlockMode;
  /**
   * Where to write the type declarations of the `pixlock:<id>` modules, relative to Vite's
   * `root` (default: `pixlock-env.d.ts` beside the manifest); `false` writes none.
   */
  dts?: string | false;
}

/** The mode after `auto` is decided, with the reason for messages. */
export interface ResolvedMode {
  frozen: boolean;
  reason: string;
}

/** Whether this process runs on a CI server, and which. */
export interface CiStatus {
  isCI: boolean;
  /** The CI system's name when it is known (`Jenkins`, `GitHub Actions`), else null. */
  name: string | null;
}

/**
 * Asks `ci-info`, the maintained list of CI systems and their variables: `CI` alone misses
 * Jenkins and others, and a build there would spend credits. `CI=0` is taken as "not CI" too
 * (ci-info honours only `CI=false`), as the plugin always did.
 */
export function detectCi(
  env: Readonly<Record<string, string | undefined>> = process.env,
): CiStatus {
  const optOut = env.CI?.trim().toLowerCase();
  if (optOut === 'false' || optOut === '0') return { isCI: false, name: null };
  return { isCI: ciInfo.isCI, name: ciInfo.name };
}

/** Decides `auto` from where the process runs (default: {@link detectCi}). */
export function resolveMode(mode: PixlockMode = 'auto', ci: CiStatus = detectCi()): ResolvedMode {
  if (mode !== 'auto' && mode !== 'generate' && mode !== 'frozen') {
    throw new TypeError(
      `pixlock: mode must be "auto", "generate" or "frozen", got ${String(mode)}`,
    );
  }
  if (mode === 'generate') return { frozen: false, reason: 'mode is "generate"' };
  if (mode === 'frozen') return { frozen: true, reason: 'mode is "frozen"' };
  return ci.isCI
    ? {
        frozen: true,
        reason: `a CI server${ci.name ? ` (${ci.name})` : ''} was detected, so mode "auto" is frozen`,
      }
    : { frozen: false, reason: 'mode "auto" outside CI' };
}
