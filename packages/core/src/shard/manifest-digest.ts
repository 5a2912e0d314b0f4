import path from 'node:path';
import { MANIFEST_MAX_BYTES, readRegularFile } from '../disk/read-regular-file.js';
import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import { sha256 } from '../util/sha256.js';

/**
 * sha256 over the manifest's files (the main one and every included file): each one's path
 * relative to the manifest's folder and the sha256 of its bytes, sorted by path. Runners of
 * one commit get the same digest wherever their checkout lies; a shard run against another
 * manifest gets another, and `merge` refuses to mix them.
 */
export async function manifestDigest(manifest: ResolvedManifest): Promise<string> {
  const lines: string[] = [];
  for (const file of manifest.files) {
    const bytes = await readRegularFile(file, { maxBytes: MANIFEST_MAX_BYTES });
    const rel = path.relative(manifest.dir, file).split(path.sep).join('/');
    lines.push(`${sha256(bytes)}  ${rel}\n`);
  }
  return sha256(lines.sort().join(''));
}
