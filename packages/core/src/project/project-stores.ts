import { randomBytes } from 'node:crypto';
import { lstatSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { TMP_DIR, type ProjectPaths } from '../disk/project-paths.js';
import { SafeFolders } from '../disk/safe-folders.js';
import { isPixlockError, PixlockError } from '../errors.js';
import type { ObjectStore, StoredFile, StoredObject } from '../engine/ports.js';
import { objectId } from '../engine/stored-objects.js';
import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import { layeredOriginals, type KnownObjects } from '../remote-store/layered-originals.js';
import { localOriginals } from '../originals/local-originals.js';
import type { OriginalsStore } from '../originals/originals-store.js';
import {
  openRemoteStore,
  type RemoteStore,
  type RemoteStoreOptions,
} from '../remote-store/remote-store.js';
import { storeKeyPath } from '../remote-store/store-key.js';
import type { StoreEnvironment, StoreSettings } from '../remote-store/store-settings.js';
import { pushObjects, type PushOptions, type PushReport } from './push-objects.js';
import { storeSettingsOf } from './store-settings-of.js';

/**
 * The stores of a project whose manifest names one (`store:`), over one connection opened on
 * first use: what every command and the shards reach the object store through.
 */
export interface ProjectStores {
  /** How to reach it (endpoint, region, bucket and prefix). */
  readonly settings: StoreSettings;
  /** `s3://bucket/prefix`. */
  readonly url: string;
  /** Outputs are kept there too (`store.outputs`). */
  readonly outputs: boolean;
  /** The originals: the local cache `.pixlock/originals` in front, the store behind. */
  readonly originals: OriginalsStore;
  /** The same, but `put` keeps only the local copy: a run pushes once the image is recorded. */
  readonly runOriginals: OriginalsStore;
  /** The same, reading only: nothing fetched is kept in the project (`review`). */
  readonly viewOriginals: OriginalsStore;
  /** The engine's port: existence, verified reads of outputs, pushes from project files. */
  readonly objects: ObjectStore;
  /** The remote store itself, opened now if it was not yet (this loads the S3 client). */
  remote(): Promise<RemoteStore>;
  /** Reachable and writable: asked before the first paid request (check-writable.ts). */
  checkWritable(): Promise<void>;
  /**
   * Uploads those of `objects` the store lacks (one existence check for all, then the
   * uploads at the store's concurrency). Never throws for one object: the report lists what
   * could not be pushed and why.
   */
  push(objects: readonly StoredFile[], options?: PushOptions): Promise<PushReport>;
  /** Closes the connection, if one was opened; a later call opens a new one. */
  close(): void;
}

/** Options of {@link projectStores}. */
export interface ProjectStoresOptions {
  /** Where the endpoint and region come from (default `process.env`). */
  env?: StoreEnvironment;
  /** The remote store's own options (concurrency, retries, a test's clock). */
  remote?: RemoteStoreOptions;
}

/**
 * The stores of the project at `paths` with `manifest`, or undefined when the manifest names
 * none. Resolves the settings now (a manifest-named endpoint the environment does not agree
 * with is refused here, at its line: store-settings-of.ts) and opens nothing.
 */
export function projectStores(
  paths: ProjectPaths,
  manifest: Pick<ResolvedManifest, 'store' | 'file'>,
  options: ProjectStoresOptions = {},
): ProjectStores | undefined {
  const settings = storeSettingsOf(manifest, options.env ?? process.env);
  if (!settings) return undefined;
  const outputs = manifest.store?.outputs ?? false;
  const known: KnownObjects = new Map();
  let opened: Promise<RemoteStore> | undefined;
  const remote = () => (opened ??= openRemoteStore(settings, options.remote));
  const local = localOriginals(paths.dir);
  const layered = (deferPush: boolean, readOnly = false) =>
    layeredOriginals(local, {
      dir: paths.dir,
      url: settings.url,
      remote,
      known,
      deferPush,
      readOnly,
    });
  const objects = objectStore(paths.dir, settings.url, outputs, remote, known);
  return {
    settings,
    url: settings.url,
    outputs,
    originals: layered(false),
    runOriginals: layered(true),
    viewOriginals: layered(true, true),
    objects,
    remote,
    checkWritable: async () => (await remote()).checkWritable(),
    push: (list, pushOptions) => pushObjects(objects, list, pushOptions),
    close() {
      const open = opened;
      opened = undefined;
      void open?.then(
        (s) => s.close(),
        () => undefined,
      );
    },
  };
}

/** The engine's {@link ObjectStore} over the remote store, files resolved in the project `dir`. */
function objectStore(
  dir: string,
  url: string,
  outputs: boolean,
  remote: () => Promise<RemoteStore>,
  known: KnownObjects,
): ObjectStore {
  const safe = new SafeFolders(dir);
  // Objects read and found damaged: the next put of their verified bytes writes over them.
  const damaged = new Set<string>();
  return {
    name: url,
    outputs,
    locate: (object) => `${url}/${storeKeyPath(object)}`,
    async has(list, options) {
      const present = new Set<string>();
      const ask: StoredObject[] = [];
      for (const o of list) {
        const held = known.get(objectId(o));
        if (held === true) present.add(objectId(o));
        else if (held === undefined) ask.push(o);
      }
      if (ask.length === 0) return present;
      const paths = await (await remote()).hasMany(ask, options);
      for (const o of ask) {
        const held = paths.has(storeKeyPath(o));
        known.set(objectId(o), held);
        if (held) present.add(objectId(o));
      }
      return present;
    },
    async get(object, options) {
      if (known.get(objectId(object)) === false) return { status: 'missing' };
      const temp = safe.resolve(`${TMP_DIR}/${randomBytes(8).toString('hex')}.get`, true)!;
      try {
        await (await remote()).getToFile(object, temp, options);
        known.set(objectId(object), true);
        return { status: 'found', bytes: await readFile(temp) };
      } catch (error) {
        if (isPixlockError(error, 'STORE_MISSING')) {
          known.set(objectId(object), false);
          return { status: 'missing' };
        }
        if (isPixlockError(error, 'STORE_CORRUPT')) {
          damaged.add(objectId(object));
          return { status: 'damaged' };
        }
        throw error;
      } finally {
        await rm(temp, { force: true });
      }
    },
    async put(object, options = {}) {
      const held = known.get(objectId(object));
      const replace = damaged.has(objectId(object));
      if (held === true && !replace) return;
      // Never through a link: a lock may name any path, and only the project's own files go.
      const file = safe.resolve(object.file, false);
      if (!file || !lstatSync(file, { throwIfNoEntry: false })) {
        throw new PixlockError(
          'STORE_UNPUSHED',
          `${object.file} is not on this machine, so it cannot be pushed to ${url}`,
          { details: { object: objectId(object), file: object.file } },
        );
      }
      await (
        await remote()
      ).putFile(object, file, {
        knownAbsent: options.fresh === true || held === false,
        ...(replace && { replace }),
        ...(options.signal && { signal: options.signal }),
      });
      known.set(objectId(object), true);
      damaged.delete(objectId(object));
    },
  };
}
