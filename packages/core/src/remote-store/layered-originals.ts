import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ORIGINALS_DIR, originalRelPath } from '../disk/project-paths.js';
import { SafeFolders } from '../disk/safe-folders.js';
import { isPixlockError } from '../errors.js';
import type { RemoteStore } from './remote-store.js';
import { storeKeyPath, type StoreKey } from './store-key.js';
import type { LocalOriginals } from '../originals/local-originals.js';
import type { OriginalKey, OriginalsStore } from '../originals/originals-store.js';

/** What the store is known to hold, learnt from its answers: `<kind>/<sha256>` → held. */
export type KnownObjects = Map<string, boolean>;

/** Options of {@link layeredOriginals}. */
export interface LayeredOriginalsOptions {
  /** The project folder (the local cache is its `.pixlock/originals`). */
  dir: string;
  /** `s3://bucket/prefix`, as messages name the store (known before it is opened). */
  url: string;
  /** Opens the remote store on first use (loading the S3 client then, never before). */
  remote: () => Promise<RemoteStore>;
  /** Shared with the outputs' side: what one learns, the other need not ask. */
  known?: KnownObjects;
  /**
   * `put` keeps the local copy only: the caller pushes it once the image is recorded, and
   * notes that in the journal (the engine does: push-recorded.ts). Default: `put` pushes too.
   */
  deferPush?: boolean;
  /**
   * `get` leaves the project as it is: an original fetched from the store goes through a
   * temporary folder outside it, not into the cache (`review`, which writes only its report).
   */
  readOnly?: boolean;
}

/** Written into the local cache: originals live in the store, this folder is not committed. */
export const ORIGINALS_GITIGNORE =
  '# pixlock: the manifest names a store (store:), which keeps the originals; this folder is a local cache\n*\n';

/**
 * The originals of a project with a store: the local folder `.pixlock/originals` in front, as
 * a cache, and the object store behind it, where every clone and CI runner finds them.
 *
 * `has` answers from the local folder first and asks the store (one listing-based call) only
 * about the rest; `get` reads the local copy and, when it is missing or damaged, fetches the
 * store's (streamed, verified against its sha256, renamed into the cache); `put` keeps the
 * local copy, then uploads it unless the store holds it. Nothing here loads the S3 client
 * until the store is really asked something: a project whose originals are all local never
 * opens it. The cache holds its own `.gitignore`, so git no longer sees the originals.
 */
export function layeredOriginals(
  local: LocalOriginals,
  options: LayeredOriginalsOptions,
): OriginalsStore {
  const known = options.known ?? new Map<string, boolean>();
  const safe = new SafeFolders(options.dir);
  const keyOf = (key: OriginalKey): StoreKey => ({
    kind: 'originals',
    sha256: key.sha256,
    mediaType: key.mediaType,
  });
  const id = (key: OriginalKey) => `originals/${key.sha256}`;
  let ignored = false;
  /** The local cache's path of an original, its folders made (never through a link). */
  const cachePath = async (key: OriginalKey): Promise<string> => {
    const file = safe.resolve(originalRelPath(key.sha256, key.mediaType), true)!;
    if (!ignored) {
      await ignoreOriginals(options.dir);
      ignored = true;
    }
    return file;
  };
  const locate = (key: OriginalKey) => `${options.url}/${storeKeyPath(keyOf(key))}`;
  return {
    name: options.url,
    locate,
    recovery: () =>
      `push it to ${options.url} from a clone that has it (pixlock store push), or restore ${ORIGINALS_DIR} there`,
    async has(keys, callOptions) {
      const all = [...keys];
      const present = new Set(await local.has(all));
      const ask: OriginalKey[] = [];
      for (const key of all) {
        if (present.has(key.sha256)) continue;
        const held = known.get(id(key));
        if (held === true) present.add(key.sha256);
        else if (held === undefined) ask.push(key);
      }
      if (ask.length === 0) return present;
      const remote = await options.remote();
      const paths = await remote.hasMany(ask.map(keyOf), callOptions);
      for (const key of ask) {
        const held = paths.has(storeKeyPath(keyOf(key)));
        known.set(id(key), held);
        if (held) present.add(key.sha256);
      }
      return present;
    },
    async get(key, callOptions) {
      const cached = await local.get(key);
      if (cached.status === 'found') return cached;
      if (known.get(id(key)) === false) return { status: 'missing' };
      const remote = await options.remote();
      const scratch = options.readOnly
        ? await mkdtemp(path.join(tmpdir(), 'pixlock-original-'))
        : undefined;
      try {
        // Straight into the cache: streamed through a sha256 to a file beside it, renamed into
        // place only when it matches (a damaged local copy is replaced whole).
        const file = scratch ? path.join(scratch, 'original') : await cachePath(key);
        await remote.getToFile(keyOf(key), file, callOptions);
        if (scratch) {
          known.set(id(key), true);
          return { status: 'found', bytes: await readFile(file) };
        }
      } catch (error) {
        if (isPixlockError(error, 'STORE_MISSING')) {
          known.set(id(key), false);
          return { status: 'missing' };
        }
        if (isPixlockError(error, 'STORE_CORRUPT')) return { status: 'damaged' };
        throw error;
      } finally {
        if (scratch) await rm(scratch, { recursive: true, force: true });
      }
      known.set(id(key), true);
      return local.get(key);
    },
    async put(key, from, callOptions) {
      await cachePath(key);
      await local.put(key, from, callOptions);
      if (options.deferPush || known.get(id(key)) === true) return;
      const file = safe.resolve(originalRelPath(key.sha256, key.mediaType), false)!;
      const remote = await options.remote();
      await remote.putFile(
        keyOf(key),
        file,
        callOptions?.signal ? { signal: callOptions.signal } : {},
      );
      known.set(id(key), true);
    },
  };
}

/**
 * The local originals folder of a project with a store is a cache: its own `.gitignore`
 * keeps it out of git (written once, never over the user's; never through a link).
 */
export async function ignoreOriginals(dir: string): Promise<void> {
  const file = new SafeFolders(dir).resolve(`${ORIGINALS_DIR}/.gitignore`, true)!;
  await writeFile(file, ORIGINALS_GITIGNORE, { flag: 'wx' }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  });
}
