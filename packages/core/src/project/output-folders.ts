import type { Lockfile } from '../lock/lockfile.js';
import type { ResolvedManifest } from '../manifest/resolved-manifest.js';

/** outDir, and the folder of every output the manifest or the lock names (once each). */
export function outputFolders(
  manifest: Pick<ResolvedManifest, 'outDir' | 'images'>,
  lock: Lockfile,
): Set<string> {
  const folders = new Set([manifest.outDir]);
  const add = (file: string) => {
    const cut = file.lastIndexOf('/');
    if (cut > 0) folders.add(file.slice(0, cut));
  };
  const base = manifest.outDir === '.' ? '' : `${manifest.outDir}/`;
  for (const image of manifest.images) add(base + image.id);
  for (const entry of Object.values(lock.images)) for (const f of entry.output.files) add(f.path);
  return folders;
}
