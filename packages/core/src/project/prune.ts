import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { clearJournal } from '../disk/create-journal.js';
import { nodeStore } from '../disk/node-store.js';
import { acquireRunMutex, checkRunMutex } from '../disk/run-mutex.js';
import { ORIGINALS_DIR, projectPaths } from '../disk/project-paths.js';
import { serializeLock } from '../lock/serialize-lock.js';
import { loadProject, planProject } from './load-project.js';

/** What {@link prune} removed (or, for a dry run, would remove). */
export interface PruneResult {
  /** Image ids dropped from the lock. */
  ids: string[];
  /** Output files removed, relative to the manifest's folder. */
  files: string[];
  /** Originals no lock entry refers to any more, relative to the manifest's folder. */
  originals: string[];
  /** Folders under outDir that removing the files left empty, removed too. */
  folders: string[];
  dryRun: boolean;
}

/** Names of originals pixlock keeps: `<sha256>.<ext>`; anything else there is not ours. */
const ORIGINAL_NAME = /^([0-9a-f]{64})\.[a-z0-9]+$/;

/**
 * Removes orphans' lock entries and outputs, and originals nothing refers to, all through the
 * store (which refuses anything outside outDir and `.pixlock/originals/`, or through a symlink).
 */
export async function prune(
  config: string,
  options: { dryRun?: boolean; waitMs?: number } = {},
): Promise<PruneResult> {
  const dryRun = options.dryRun ?? false;
  // Validate before the mutex creates .pixlock/: a bad manifest or lock writes nothing.
  if (!dryRun) checkRunMutex(projectPaths(config).runLock);
  if (!dryRun) await loadProject(config);
  const release = dryRun
    ? async () => {}
    : await acquireRunMutex(projectPaths(config).runLock, path.resolve(config), {
        ...(options.waitMs !== undefined && { waitMs: options.waitMs }),
      });
  try {
    const project = await loadProject(config);
    const { plan } = await planProject(project);
    const orphans = plan.entries.filter((e) => e.action === 'orphan');
    const ids = orphans.map((e) => e.id);
    const files = orphans.flatMap((e) => e.files);
    const dropped = new Set(ids);
    const kept = new Set(
      Object.entries(project.lock.images)
        .filter(([id]) => !dropped.has(id))
        // Every candidate's original is kept: `pick` makes outputs from it.
        .flatMap(([, e]) => [
          e.original.sha256,
          ...(e.candidates ?? []).map((c) => c.original.sha256),
        ]),
    );
    const originalNames = (
      await readdir(project.paths.originalsDir).catch(() => [] as string[])
    ).filter((name) => {
      const sha = ORIGINAL_NAME.exec(name)?.[1];
      return sha !== undefined && !kept.has(sha);
    });
    const originals = originalNames.map((name) => `${ORIGINALS_DIR}/${name}`);
    let folders: string[] = [];
    if (!dryRun) {
      const store = nodeStore(project.paths.dir, project.paths.lockFile, {
        outDir: project.manifest.outDir,
      });
      for (const f of files) await store.removeOutput(f);
      for (const name of originalNames) await store.removeOriginal(name);
      folders = await store.removeEmptyFolders(files);
      if (ids.length > 0 || project.unsettledCreates + (project.journaledChanges ?? 0) > 0) {
        for (const id of ids) {
          delete project.lock.images[id];
          delete project.lock.pending[id];
        }
        // One write for the whole prune (the lock was read under the mutex).
        await store.writeLock(serializeLock(project.lock));
        // What a killed run journaled is in the lock now; replaying it again would bring back
        // the entries just pruned.
        const { legacyJournal, journalOld, journal } = project.paths;
        for (const f of [legacyJournal, journalOld, journal])
          await clearJournal(project.paths.dir, f);
      }
    }
    return { ids, files, originals, folders, dryRun };
  } finally {
    await release();
  }
}
