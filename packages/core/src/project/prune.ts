import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { nodeStore } from '../disk/node-store.js';
import { acquireRunMutex } from '../disk/run-mutex.js';
import { projectPaths } from '../disk/project-paths.js';
import { LockWriter } from '../engine/lock-writer.js';
import { loadProject, planProject } from './load-project.js';

/** What {@link prune} removed (or, for a dry run, would remove). */
export interface PruneResult {
  /** Image ids dropped from the lock. */
  ids: string[];
  /** Output files removed, relative to the manifest's folder. */
  files: string[];
  /** Originals no lock entry refers to any more, relative to the manifest's folder. */
  originals: string[];
  dryRun: boolean;
}

/** Removes orphans' lock entries and outputs, and originals nothing refers to. */
export async function prune(
  config: string,
  options: { dryRun?: boolean; waitMs?: number } = {},
): Promise<PruneResult> {
  const dryRun = options.dryRun ?? false;
  // Validate before the mutex creates .pixlock/: a bad manifest or lock writes nothing.
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
    const kept = new Set(
      Object.entries(project.lock.images)
        .filter(([id]) => !ids.includes(id))
        .map(([, e]) => e.original.sha256),
    );
    const originalNames = await readdir(project.paths.originalsDir).catch(() => [] as string[]);
    const originals = originalNames
      .filter((name) => !kept.has(name.split('.')[0]!))
      .map((name) => path.posix.join('.pixlock/originals', name));
    if (!dryRun) {
      const store = nodeStore(project.paths.dir, project.paths.lockFile);
      for (const f of files) await store.removeOutput(f);
      for (const o of originals) await rm(path.join(project.paths.dir, o), { force: true });
      const writer = new LockWriter(project.lock, (text) => store.writeLock(text));
      for (const id of ids) await writer.removeImage(id);
    }
    return { ids, files, originals, dryRun };
  } finally {
    await release();
  }
}
