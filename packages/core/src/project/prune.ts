import { clearJournal } from '../journal/create-journal.js';
import { acquireRunMutex, checkRunMutex } from '../disk/run-mutex.js';
import { journalFiles, projectPaths } from '../disk/project-paths.js';
import { localOriginals } from '../originals/local-originals.js';
import { serializeLock } from '../lock/serialize-lock.js';
import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import { readProject } from './load-project.js';
import { planSnapshot } from './plan-project.js';
import { CacheSession } from './cache/cache-session.js';
import { localProjectFiles } from './project-store.js';

/** What {@link prune} removed (or, for a dry run, would remove). */
export interface PruneResult {
  /** Image ids dropped from the lock. */
  ids: string[];
  /** Output files removed (for a dry run, to remove), relative to the manifest's folder. */
  files: string[];
  /**
   * Orphans' output files left in place: edited since they were made (not the bytes the lock
   * records), or a file the manifest reads.
   */
  kept: string[];
  /** Originals no lock entry refers to any more, relative to the manifest's folder. */
  originals: string[];
  /** Folders under outDir that removing the files left empty, removed too. */
  folders: string[];
  dryRun: boolean;
  /** The manifest as read (for the CLI's check of the type declarations). */
  manifest: ResolvedManifest;
}

/**
 * Removes orphans' lock entries and outputs, and originals nothing refers to, all through the
 * store: an output only when it holds the bytes the lock records (in outDir, or in the folder
 * an earlier outDir put it in), never through a symlink, never a file the manifest reads;
 * originals only in `.pixlock/originals/`.
 */
export async function prune(
  config: string,
  options: { dryRun?: boolean; waitMs?: number } = {},
): Promise<PruneResult> {
  const dryRun = options.dryRun ?? false;
  // Validate before the mutex creates .pixlock/: a bad manifest or lock writes nothing.
  const paths = projectPaths(config);
  const cache = new CacheSession(paths.cacheDir);
  if (!dryRun) checkRunMutex(paths.runLock);
  if (!dryRun) await readProject(paths, cache);
  const release = dryRun
    ? async () => {}
    : await acquireRunMutex(paths.runLock, paths.manifestFile, {
        ...(options.waitMs !== undefined && { waitMs: options.waitMs }),
      });
  try {
    const project = await readProject(paths, cache);
    const { plan } = await planSnapshot(project, cache);
    const orphans = plan.entries.filter((e) => e.action === 'orphan');
    const ids = orphans.map((e) => e.id);
    const locked = orphans.flatMap((e) => project.lock.images[e.id]?.output.files ?? []);
    let files = locked.map((f) => f.path);
    const kept: string[] = [];
    const dropped = new Set(ids);
    const keptOriginals = new Set(
      Object.entries(project.lock.images)
        .filter(([id]) => !dropped.has(id))
        // Every candidate's original is kept: `pick` makes outputs from it.
        .flatMap(([, e]) => [
          e.original.sha256,
          ...(e.candidates ?? []).map((c) => c.original.sha256),
        ]),
    );
    // Only the local copies: a shared store (other branches use it) is never pruned.
    const local = localOriginals(paths.dir);
    const unused = (await local.list()).filter((o) => !keptOriginals.has(o.sha256));
    const originals = unused.map((o) => o.file);
    let folders: string[] = [];
    if (!dryRun) {
      const store = localProjectFiles(project);
      // Only the bytes the lock records, wherever an outDir put them (the store checks).
      for (const f of locked)
        if (!(await store.outputs.removeOutput(f.path, f.sha256))) kept.push(f.path);
      const left = new Set(kept);
      files = files.filter((f) => !left.has(f));
      for (const o of unused) await local.remove(o);
      folders = await store.outputs.removeEmptyFolders(files);
      if (ids.length > 0 || project.unsettledCreates + (project.journaledChanges ?? 0) > 0) {
        for (const id of ids) {
          delete project.lock.images[id];
          delete project.lock.pending[id];
        }
        // One write for the whole prune (the lock was read under the mutex).
        await store.lock.writeLock(serializeLock(project.lock));
        // What a killed run journaled is in the lock now; replaying it again would bring back
        // the entries just pruned.
        for (const f of journalFiles(paths)) await clearJournal(paths.dir, f);
      }
    }
    await cache.commit();
    return { ids, files, kept, originals, folders, dryRun, manifest: project.manifest };
  } finally {
    await release();
  }
}
