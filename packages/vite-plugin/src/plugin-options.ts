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
   * `root`; `false` writes none. Default: `pixlock-env.d.ts` where the app's TypeScript
   * project already looks, so no tsconfig needs an edit: beside the manifest when a tsconfig
   * includes that, else in the first folder an `include` names (`src/` in the create-vite
   * templates), else beside the manifest. `pixlock generate` and `check` use the same place.
   */
  dts?: string | false;
}

/** The mode after `auto` is decided, with the reason for messages. */
export interface ResolvedMode {
  frozen: boolean;
  reason: string;
}

/** Whether this process runs on a CI server, and how that was told. */
export interface CiStatus {
  isCI: boolean;
  /** The CI system's name when it is known (`Jenkins`, `GitHub Actions`), else null. */
  name: string | null;
  /** Why, for messages: `CI is set`, or the CI system found. */
  reason: string;
}

/**
 * Asks `ci-info`, the maintained list of CI systems and their variables: `CI` alone misses
 * Jenkins and others, and a build there would spend credits. ci-info reads the environment
 * once, when it is loaded; `CI` is also read now, so setting it later still counts. `CI=false`
 * or `CI=0` says "not CI" (ci-info honours only `false`), as the plugin always did.
 */
export function detectCi(
  env: Readonly<Record<string, string | undefined>> = process.env,
): CiStatus {
  const ci = env.CI?.trim().toLowerCase();
  if (ci === 'false' || ci === '0') return { isCI: false, name: null, reason: 'CI is false' };
  if (ci !== undefined && ci !== '') {
    const reason = ciInfo.name ? `CI is set (${ciInfo.name})` : 'CI is set';
    return { isCI: true, name: ciInfo.name, reason };
  }
  if (ciInfo.isCI && ciInfo.name) {
    return { isCI: true, name: ciInfo.name, reason: `${ciInfo.name} was detected` };
  }
  if (ciInfo.isCI) return { isCI: true, name: null, reason: 'a CI server was detected' };
  return { isCI: false, name: null, reason: 'no CI server was detected' };
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
    ? { frozen: true, reason: `${ci.reason}, so mode "auto" is frozen` }
    : { frozen: false, reason: 'mode "auto" outside CI' };
}
