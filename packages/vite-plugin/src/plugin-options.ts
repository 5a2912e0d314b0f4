/**
 * When the plugin may call the image provider:
 * - `auto`: `frozen` when the environment variable `CI` is set, so a CI build never spends
 *   credits; `generate` otherwise.
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

/** Decides `auto`: CI counts as set unless it is empty, `0` or `false`. */
export function resolveMode(
  mode: PixlockMode = 'auto',
  env: Readonly<Record<string, string | undefined>> = process.env,
): ResolvedMode {
  if (mode !== 'auto' && mode !== 'generate' && mode !== 'frozen') {
    throw new TypeError(
      `pixlock: mode must be "auto", "generate" or "frozen", got ${String(mode)}`,
    );
  }
  if (mode === 'generate') return { frozen: false, reason: 'mode is "generate"' };
  if (mode === 'frozen') return { frozen: true, reason: 'mode is "frozen"' };
  const ci = env.CI?.trim().toLowerCase();
  const inCi = ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
  return inCi
    ? { frozen: true, reason: 'CI is set, so mode "auto" is frozen' }
    : { frozen: false, reason: 'mode "auto" outside CI' };
}
