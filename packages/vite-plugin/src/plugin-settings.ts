import path from 'node:path';
import type { Logger } from '@pixlock/core';
import type { ResolvedConfig } from 'vite';
import { resolveMode, type PixlockPluginOptions, type ResolvedMode } from './plugin-options.js';

/** The plugin's settings once Vite's config is known. */
export interface PluginSettings {
  root: string;
  /** Absolute path of the manifest. */
  config: string;
  /**
   * Absolute path of the declaration file; `auto` for where the app's tsconfig already looks
   * (see core's typeDeclarationsPlace), `false` for none.
   */
  dts: string | 'auto' | false;
  mode: ResolvedMode;
  dev: boolean;
  logger: Logger;
}

/** The options as they apply once Vite's config is known. */
export function resolveSettings(
  options: PixlockPluginOptions,
  config: ResolvedConfig,
): PluginSettings {
  const manifest = path.resolve(config.root, options.config ?? 'pixlock.yaml');
  const dts =
    options.dts === false || options.dts === undefined
      ? (options.dts ?? 'auto')
      : path.resolve(config.root, options.dts);
  const log = (level: 'info' | 'warn') => (message: string) =>
    config.logger[level](`[pixlock] ${message}`, { timestamp: true });
  return {
    root: config.root,
    config: manifest,
    dts,
    mode: resolveMode(options.mode),
    dev: config.command === 'serve',
    logger: { info: log('info'), warn: log('warn') },
  };
}
