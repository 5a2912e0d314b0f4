import { outputFolderOf } from '../lock/output-path.js';
import type { OutputFiles } from './ports.js';

/**
 * After an image's outputs left the folder an earlier outDir put them in (`removed`, its
 * old files, all in that one folder): removes the folders that left empty, that folder
 * included, not the one above it. Nothing when they were in the current outDir.
 */
export async function removeOldFolders(
  store: OutputFiles,
  removed: string[],
  id: string,
  outDir: string,
): Promise<void> {
  const folder = removed.length > 0 ? outputFolderOf(removed[0]!, id) : undefined;
  if (folder === undefined || folder === '.' || folder === outDir) return;
  const cut = folder.lastIndexOf('/');
  await store.removeEmptyFolders?.(removed, cut < 0 ? '.' : folder.slice(0, cut));
}
