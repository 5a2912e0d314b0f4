import { checkProjectFolders, outputFolders } from '../disk/check-project-folders.js';
import { projectPaths } from '../disk/project-paths.js';
import { replayJournal } from '../disk/replay-journal.js';
import { loadManifest } from '../manifest/load-manifest.js';
import { readLock, type Project } from './load-project.js';

/**
 * The project as loadProject reads it (manifest, lock with journals replayed, folders
 * checked), writing no cache: a merge that is refused leaves the tree exactly as it was.
 */
export async function readProjectQuietly(config: string): Promise<Project> {
  const dropCacheWrite = () => {};
  const manifest = await loadManifest(config, undefined, { deferCacheWrite: dropCacheWrite });
  const paths = projectPaths(manifest.file);
  const lock = await readLock(paths.lockFile, manifest.outDir, dropCacheWrite);
  const replayed = await replayJournal(
    lock,
    [paths.legacyJournal, paths.journalOld, paths.journal],
    manifest.outDir,
  );
  checkProjectFolders(paths.dir, outputFolders(manifest, lock));
  return {
    manifest,
    lock,
    paths,
    unsettledCreates: replayed.unsettled,
    journaledChanges: replayed.changes,
  };
}
