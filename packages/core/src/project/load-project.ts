import { readFile } from 'node:fs/promises';
import { emptyLock, type Lockfile } from '../lock/lockfile.js';
import { parseLock } from '../lock/parse-lock.js';
import { loadManifest } from '../manifest/load-manifest.js';
import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import { observeDisk } from '../disk/observe-disk.js';
import { projectPaths } from '../disk/project-paths.js';
import { plan, type Observed, type Plan, type PlanOptions } from '../plan/plan.js';

/** A manifest with its lock, as read from disk. */
export interface Project {
  manifest: ResolvedManifest;
  lock: Lockfile;
  paths: ReturnType<typeof projectPaths>;
}

/** Reads and validates the manifest (and included files) and the lock beside it. */
export async function loadProject(configFile: string): Promise<Project> {
  const manifest = await loadManifest(configFile);
  const paths = projectPaths(manifest.file);
  return { manifest, lock: await readLock(paths.lockFile), paths };
}

/** Reads a lockfile; a missing one is an empty lock. */
export async function readLock(lockFile: string): Promise<Lockfile> {
  let text: string;
  try {
    text = await readFile(lockFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyLock();
    throw error;
  }
  return parseLock(text, lockFile);
}

/** Looks at the disk and plans. */
export async function planProject(
  project: Project,
  options: PlanOptions = {},
): Promise<{ plan: Plan; observed: Observed }> {
  const observed = await observeDisk(project.manifest, project.lock);
  return { plan: plan(project.manifest, project.lock, observed, options), observed };
}
