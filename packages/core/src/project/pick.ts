import { sharpCodec } from '../codec/sharp-codec.js';
import { clearJournal } from '../journal/create-journal.js';
import { acquireRunMutex, checkRunMutex } from '../disk/run-mutex.js';
import { journalFiles, projectPaths, type ProjectPaths } from '../disk/project-paths.js';
import { candidatesOf, variantEntry } from '../engine/generate-variants.js';
import type { ImageCodec, OriginalsStore } from '../engine/ports.js';
import { readOriginal } from '../engine/read-original.js';
import { writeOutputs } from '../engine/write-outputs.js';
import { errorMessage, PixlockError } from '../errors.js';
import { objectId, storedObjectsOf } from '../engine/stored-objects.js';
import { PushJournal } from '../journal/push-journal.js';
import type { LockEntry } from '../lock/lockfile.js';
import type { ProjectStores } from './project-stores.js';
import type { RemoteStoreOptions } from '../remote-store/remote-store.js';
import type { StoreEnvironment } from '../remote-store/store-settings.js';
import { serializeLock } from '../lock/serialize-lock.js';
import { closestName } from '../util/closest-name.js';
import { readProject, type Project } from './load-project.js';
import { planSnapshot } from './plan-project.js';
import { CacheSession } from './cache/cache-session.js';
import { prepareTempDir } from './local-files.js';
import { projectFiles } from './project-store.js';
import { plural } from '../util/plural.js';

/** Options of {@link pick}. */
export interface PickOptions {
  /** Milliseconds to wait for another pixlock process on the same manifest. */
  waitMs?: number;
  /** Decodes and encodes images (default: sharp). */
  codec?: ImageCodec;
  /** Where the project's originals are kept (default: the local folder, or the store's). */
  originals?: OriginalsStore;
  /** Where a store's endpoint and region come from (default `process.env`). */
  env?: StoreEnvironment;
  /** The store's transfer options (retries; a test's clock). */
  storeOptions?: RemoteStoreOptions;
}

/** What {@link pick} did. */
export interface PickResult {
  id: string;
  /** The candidate now chosen (from 1) and how many there are. */
  chosen: number;
  candidates: number;
  /** The candidate chosen before. */
  previous: number;
  /** Output files written, relative to the manifest's folder. */
  files: string[];
  /**
   * With a store keeping outputs: those not pushed (the store failed), as the store names
   * them. Kept locally and in the push journal: the next `generate` pushes them first.
   */
  unpushed?: string[];
}

/**
 * Chooses candidate `n` (from 1, as `review` numbers them) of image `id`: its outputs are made
 * again from its kept original and the lock records the choice. Calls no provider. Everything
 * is checked before anything is written (the id, the number, the candidate's original and its
 * hash), so an error leaves the tree as it was.
 */
export async function pick(
  config: string,
  id: string,
  n: number,
  options: PickOptions = {},
): Promise<PickResult> {
  const paths = projectPaths(config);
  const cache = new CacheSession(paths.cacheDir);
  const opened: Project[] = [];
  const read = async () => {
    const project = await readProject(paths, cache, {
      ...(options.originals && { originals: options.originals }),
      ...(options.env && { storeEnv: options.env }),
      ...(options.storeOptions && { storeOptions: options.storeOptions }),
    });
    opened.push(project);
    return project;
  };
  try {
    return await pickRead(paths, cache, read, id, n, options);
  } finally {
    // Store connections the reads opened (an original fetched from the store).
    for (const project of opened) project.stores?.close();
  }
}

async function pickRead(
  paths: ProjectPaths,
  cache: CacheSession,
  read: () => Promise<Project>,
  id: string,
  n: number,
  options: PickOptions,
): Promise<PickResult> {
  // Checked before the mutex creates anything beside the manifest.
  checkRunMutex(paths.runLock);
  await checkPick(await read(), cache, id, n);
  const release = await acquireRunMutex(paths.runLock, paths.manifestFile, {
    ...(options.waitMs !== undefined && { waitMs: options.waitMs }),
  });
  try {
    // Read again under the mutex: what the choice is made from is what it is written over.
    const project = await read();
    const { candidates, entry, image } = await checkPick(project, cache, id, n);
    const files = projectFiles(project);
    const codec = options.codec ?? sharpCodec();
    const bytes = await readOriginal(files.originals, id, candidates[n - 1]!.original);
    const decoded = await codec.decode(bytes);
    await prepareTempDir(paths);
    const output = await writeOutputs(
      codec,
      files.outputs,
      project.manifest.outDir,
      image,
      decoded,
      entry,
    );
    const previous = entry.chosen ?? 1;
    const chosen = variantEntry(entry, candidates, n, output);
    project.lock.images[id] = chosen;
    const push = project.stores && (await notePicked(project.stores, paths, chosen, entry));
    // One write holds the choice and whatever a killed run left in the journal.
    await files.lock.writeLock(serializeLock(project.lock));
    for (const f of journalFiles(paths)) await clearJournal(paths.dir, f);
    await cache.commit();
    const unpushed = await push?.();
    return {
      id,
      chosen: n,
      candidates: candidates.length,
      previous,
      files: output.files.map((f) => f.path),
      ...(unpushed?.length && { unpushed }),
    };
  } finally {
    await release();
  }
}

async function checkPick(project: Project, cache: CacheSession, id: string, n: number) {
  const image = project.manifest.images.find((i) => i.id === id);
  const entry = project.lock.images[id];
  if (!image || !entry) {
    const known = project.manifest.images.map((i) => i.id);
    const near = closestName(id, known);
    const what = image
      ? 'has not been generated yet (run "pixlock generate" first)'
      : 'is not an image of the manifest';
    throw new PixlockError(
      'USAGE',
      `"${id}" ${what}${near && !image ? ` (did you mean "${near}"?)` : ''}`,
    );
  }
  const candidates = candidatesOf(entry);
  if (!Number.isInteger(n) || n < 1 || n > candidates.length) {
    throw new PixlockError(
      'USAGE',
      `${id} has ${plural(candidates.length, 'candidate')}: pick a number from 1 to ${candidates.length}, not ${n}`,
    );
  }
  const { plan } = await planSnapshot(project, cache, { only: [id] });
  const planned = plan.entries.find((e) => e.id === id);
  // A regenerate draws every candidate anew: picking one about to be replaced means nothing.
  if (planned?.action === 'regenerate') {
    throw new PixlockError(
      'USAGE',
      `${id} changed since its candidates were drawn (${planned.reason}): run "pixlock generate" first, then pick`,
    );
  }
  // The original is read and checked here too, before the mutex: a missing or edited one
  // is reported with nothing written.
  await readOriginal(project.originals, id, candidates[n - 1]!.original);
  return { candidates, entry, image };
}

/**
 * The outputs a pick made that the store must take (with `store.outputs`), noted unstored in
 * the push journal before the lock names them; returns the push, to run once the lock is
 * written, which resolves to what it could not push (left in the journal for the next run).
 */
async function notePicked(
  stores: ProjectStores,
  paths: ProjectPaths,
  chosen: LockEntry,
  previous: LockEntry,
): Promise<() => Promise<string[]>> {
  const before = new Set(storedObjectsOf(previous, stores.outputs).map(objectId));
  const objects = storedObjectsOf(chosen, stores.outputs).filter((o) => !before.has(objectId(o)));
  const journal = new PushJournal(paths.pushJournal);
  journal.unstored(objects.map(objectId));
  return async () => {
    const pending = await journal.pending();
    const report = await stores.push(objects).catch((error: unknown) => ({
      failed: objects.map((object) => ({ object, message: errorMessage(error) })),
    }));
    const failed = new Set(report.failed.map((f) => objectId(f.object)));
    const pushed = objects.map(objectId).filter((o) => !failed.has(o));
    await journal.keepOnly([...pending].filter((o) => !pushed.includes(o)));
    return report.failed.map((f) => `${stores.objects.locate(f.object)}: ${f.message}`);
  };
}
