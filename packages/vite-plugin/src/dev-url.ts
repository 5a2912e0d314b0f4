import path from 'node:path';
import type { ImageAssetFile } from '@pixlock/core';
import type { ResolvedConfig } from 'vite';

/**
 * The URL the dev server serves an output file at, as a JS string expression: a plain static
 * file (under the root, the public folder, or `/@fs/` outside them), not an import, so no
 * plugin transforms it and a rewritten file sends no update of its own (the plugin sends one
 * per save). The lock's sha256 rides along as `?v=`: a remade file gets a new URL, so the
 * browser does not show the one it cached.
 */
export function devUrl(config: ResolvedConfig, file: ImageAssetFile): string {
  const within = (dir: string) => {
    const rel = path.relative(dir, file.file);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : undefined;
  };
  const rel = (config.publicDir && within(config.publicDir)) ?? within(config.root);
  const urlPath =
    rel !== undefined
      ? rel.split(path.sep).join('/')
      : `@fs/${file.file.split(path.sep).join('/').replace(/^\/+/, '')}`;
  const base = config.base.endsWith('/') ? config.base : `${config.base}/`;
  const url = `${config.server.origin ?? ''}${base}${encodeURI(urlPath)}?v=${file.sha256.slice(0, 12)}`;
  return JSON.stringify(url);
}
