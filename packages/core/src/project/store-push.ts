import { PixlockError } from '../errors.js';
import type { StoredFile } from '../engine/ports.js';
import { lockObjects, objectId } from '../engine/stored-objects.js';
import { PushJournal } from '../journal/push-journal.js';
import { projectPaths } from '../disk/project-paths.js';
import type { RemoteStoreOptions } from '../remote-store/remote-store.js';
import type { StoreEnvironment } from '../remote-store/store-settings.js';
import { CacheSession } from './cache/cache-session.js';
import { readProject, type Project } from './load-project.js';
import type { PushOptions, PushReport } from './push-objects.js';
import { ignoreOriginals } from '../remote-store/layered-originals.js';

/** Options of {@link pushToStore} and {@link storeLacks}. */
export interface StoreCommandOptions {
  /** Where the store's endpoint and region come from (default `process.env`). */
  env?: StoreEnvironment;
  /** The store's transfer options (concurrency, retries; a test's clock). */
  storeOptions?: RemoteStoreOptions;
  /** Only the objects of these image ids (default every image of the lock). */
  ids?: readonly string[];
}

/** What {@link pushToStore} did: the store's `s3://` URL with the push's report. */
export interface StorePushResult extends PushReport {
  store: string;
}

/**
 * Pushes every object the lock names that the store lacks: each original (every candidate's),
 * and with `store.outputs` each output, from this clone's files. One existence check for all
 * (a few listings), then the uploads at the store's concurrency; idempotent and resumable (an
 * interrupted push is found half done and finished). Objects it could not push (the store
 * failed, or the file is not on this machine) are in `failed`, never thrown one by one. The
 * push journal keeps only those. What moving an existing project into a store runs, and what
 * a CI shard runs before it exits.
 * @throws PixlockError USAGE when the manifest names no store; the store's error when even
 * its existence check fails.
 */
export async function pushToStore(
  config: string,
  options: StoreCommandOptions & Pick<PushOptions, 'onStart' | 'onObject' | 'signal'> = {},
): Promise<StorePushResult> {
  return withStores(config, options, async (project) => {
    const stores = project.stores!;
    await ignoreOriginals(project.paths.dir);
    const objects = lockObjects(project.lock, stores.outputs, options.ids);
    const report = await stores.push(objects, {
      ...(options.onStart && { onStart: options.onStart }),
      ...(options.onObject && { onObject: options.onObject }),
      ...(options.signal && { signal: options.signal }),
    });
    const journal = new PushJournal(project.paths.pushJournal);
    const failed = new Set(report.failed.map((f) => objectId(f.object)));
    // Only what the lock names and is still not in the store stays to be pushed.
    await journal.keepOnly([...(await journal.pending())].filter((id) => failed.has(id)));
    return { store: stores.url, ...report };
  });
}

/** What {@link storeLacks} found. */
export interface StoreCheckResult {
  store: string;
  /** Objects the lock names. */
  total: number;
  /** Those the store lacks, with the project file each would be pushed from. */
  missing: StoredFile[];
}

/**
 * Which objects the lock names the store lacks (originals, and with `store.outputs` outputs):
 * the CI gate before merging (`pixlock check --store`). Existence only, by a few listings;
 * nothing is read, written or pushed.
 * @throws PixlockError USAGE when the manifest names no store; the store's error when it
 * cannot be asked.
 */
export async function storeLacks(
  config: string,
  options: StoreCommandOptions = {},
): Promise<StoreCheckResult> {
  return withStores(config, options, async (project) => {
    const stores = project.stores!;
    const objects = lockObjects(project.lock, stores.outputs, options.ids);
    const held = await stores.objects.has(objects);
    return {
      store: stores.url,
      total: objects.length,
      missing: objects.filter((o) => !held.has(objectId(o))),
    };
  });
}

async function withStores<T>(
  config: string,
  options: StoreCommandOptions,
  work: (project: Project) => Promise<T>,
): Promise<T> {
  const paths = projectPaths(config);
  const project = await readProject(paths, new CacheSession(paths.cacheDir), {
    ...(options.env && { storeEnv: options.env }),
    ...(options.storeOptions && { storeOptions: options.storeOptions }),
  });
  if (!project.stores) {
    throw new PixlockError(
      'USAGE',
      `${paths.manifestFile} names no store: add store: { url: s3://<bucket>/<prefix> } to it first`,
    );
  }
  try {
    return await work(project);
  } finally {
    project.stores.close();
  }
}
