import { checkProjectFolders } from '../disk/check-project-folders.js';
import { outputFolders } from './output-folders.js';
import { journalFiles, projectPaths, type ProjectPaths } from '../disk/project-paths.js';
import { replayJournal } from '../journal/replay-journal.js';
import type { Lockfile } from '../lock/lockfile.js';
import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import { localOriginals } from '../originals/local-originals.js';
import type { OriginalsStore } from '../originals/originals-store.js';
import type { RemoteStoreOptions } from '../remote-store/remote-store.js';
import type { StoreEnvironment } from '../remote-store/store-settings.js';
import { CacheSession } from './cache/cache-session.js';
import { projectStores, type ProjectStores } from './project-stores.js';
import { readLock } from './read-lock.js';
import { readManifest } from './read-manifest.js';

/** A manifest with its lock, as read from disk. */
export interface Project {
  manifest: ResolvedManifest;
  /** With creates a killed run left unsettled folded into `pending` (not yet on disk). */
  lock: Lockfile;
  /** Where its files are: made once, from the manifest's path, at the command's start. */
  paths: ProjectPaths;
  /**
   * Where its originals are kept: the local folder `.pixlock/originals`, or with a `store:`
   * that folder as a cache in front of the store.
   */
  originals: OriginalsStore;
  /**
   * The object store the manifest names (`store:`), opened on first use: the caller closes it
   * ({@link ProjectStores.close}) when done.
   */
  stores?: ProjectStores;
  /** How many creates the journal added to the lock's `pending`. */
  unsettledCreates: number;
  /** How many lock changes a run that died left in the journal (replayed into `lock`). */
  journaledChanges?: number;
}

/** Options of {@link loadProject} and {@link readProject}. */
export interface ReadProjectOptions {
  /** Where the project's originals are kept (default: the local folder, or the store's). */
  originals?: OriginalsStore;
  /** Where a store's endpoint and region come from (default `process.env`). */
  storeEnv?: StoreEnvironment;
  /** The store's transfer options (concurrency, retries; a test's clock). */
  storeOptions?: RemoteStoreOptions;
}

/**
 * Reads and validates the manifest (and included files) and the lock beside it, and checks
 * that no folder the project's files live in is a link (PATH_UNSAFE). A command of its own:
 * once all of it is valid, it writes the caches of what it read (and nothing if it fails).
 */
export async function loadProject(
  configFile: string,
  options: ReadProjectOptions = {},
): Promise<Project> {
  const paths = projectPaths(configFile);
  const cache = new CacheSession(paths.cacheDir);
  const project = await readProject(paths, cache, options);
  await cache.commit();
  return project;
}

/**
 * The project at `paths` as one snapshot: the manifest with its includes, the lock with what a
 * killed run left in the journal replayed, the originals store. Writes nothing: what it would
 * cache is staged in `cache`, for the command to write once it has succeeded.
 */
export async function readProject(
  paths: ProjectPaths,
  cache: CacheSession,
  options: ReadProjectOptions = {},
): Promise<Project> {
  const manifest = await readManifest(paths, cache);
  const lock = await readLock(paths, { outDir: manifest.outDir, cache });
  const replayed = await replayJournal(lock, journalFiles(paths), manifest.outDir);
  // Before any output is read (planning hashes them) or written: outDir and every folder of
  // the outputs, the manifest's and the lock's, are real folders on every component.
  checkProjectFolders(paths.dir, outputFolders(manifest, lock));
  // Settings only (a manifest-named endpoint the environment does not agree with is refused
  // here): nothing is loaded or sent until the store is asked something.
  const stores = projectStores(paths, manifest, {
    ...(options.storeEnv && { env: options.storeEnv }),
    ...(options.storeOptions && { remote: options.storeOptions }),
  });
  return {
    manifest,
    lock,
    paths,
    originals: options.originals ?? stores?.originals ?? localOriginals(paths.dir),
    ...(stores && { stores }),
    unsettledCreates: replayed.unsettled,
    journaledChanges: replayed.changes,
  };
}
