import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, rename, rm } from 'node:fs/promises';
import { asDiskError } from '../disk/disk-error.js';
import { ORIGINALS_DIR, originalRelPath, PIXLOCK_DIR, TMP_DIR } from '../disk/project-paths.js';
import { NotRegularFileError, readRegularFile } from '../disk/read-regular-file.js';
import { SafeFolders } from '../disk/safe-folders.js';
import { writeFileAtomically } from '../disk/write-file-atomically.js';
import { PixlockError } from '../errors.js';
import { sha256 as sha256Of } from '../util/sha256.js';
import type { LocalOriginal, LocalOriginalsCache, OriginalsStore } from './originals-store.js';

/** The local folder of originals: the shared port and the cache `prune` tidies. */
export type LocalOriginals = OriginalsStore & LocalOriginalsCache;

/** Names of originals pixlock keeps: `<sha256>.<ext>`; anything else there is not ours. */
const ORIGINAL_NAME = /^([0-9a-f]{64})\.[a-z0-9]+$/;

/** Larger than any original a provider sends (a 4k PNG is tens of megabytes). */
const ORIGINAL_MAX_BYTES = 1024 ** 3;

/**
 * The originals kept in `.pixlock/originals/` of the project folder `dir`, under
 * `<sha256>.<ext>`: the first {@link OriginalsStore}. Originals arrive as verified temporary
 * files in `.pixlock/tmp/` and are renamed into place, on the same file system; nothing is
 * written or removed through a symlink (safe-folders.ts), and a folder deleted mid-run is made
 * again. A full or failing disk is a DISK_FULL / DISK_ERROR naming the file.
 */
export function localOriginals(dir: string): LocalOriginals {
  const safe = new SafeFolders(dir);
  const resolve = (rel: string, create: boolean) => safe.resolve(rel, create);
  return {
    name: ORIGINALS_DIR,
    locate: (key) => originalRelPath(key.sha256, key.mediaType),
    recovery(key) {
      return `restore it from git (git checkout -- ${originalRelPath(key.sha256, key.mediaType)})`;
    },
    async has(keys) {
      // One listing answers for every original: a few thousand names cost less than as many
      // stats.
      const names = new Set(await readdir(`${dir}/${ORIGINALS_DIR}`).catch(() => [] as string[]));
      const present = new Set<string>();
      for (const key of keys) {
        const name = originalRelPath(key.sha256, key.mediaType).slice(ORIGINALS_DIR.length + 1);
        if (names.has(name)) present.add(key.sha256);
      }
      return present;
    },
    async get(key) {
      const file = resolve(originalRelPath(key.sha256, key.mediaType), false);
      if (!file) return { status: 'missing' };
      let bytes: Buffer;
      try {
        // Never through a link (one committed in a pull request would read a file from
        // elsewhere: into a review's report, say), nor a FIFO or a device.
        bytes = await readRegularFile(file, { maxBytes: ORIGINAL_MAX_BYTES });
      } catch (error) {
        if (error instanceof NotRegularFileError)
          return { status: error.reason === 'symlink' ? 'missing' : 'damaged' };
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return { status: 'missing' };
        throw error;
      }
      // The name says what the bytes must be: a damaged original never makes outputs.
      return sha256Of(bytes) === key.sha256 ? { status: 'found', bytes } : { status: 'damaged' };
    },
    async put(key, from) {
      const rel = originalRelPath(key.sha256, key.mediaType);
      if (!('file' in from)) {
        const target = resolve(rel, true)!;
        if (existsSync(target)) return;
        const temp = resolve(`${TMP_DIR}/${randomBytes(8).toString('hex')}.original`, true)!;
        await writeFileAtomically(target, from.bytes, temp);
        return;
      }
      const target = resolve(rel, true)!;
      try {
        await rename(from.file, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
          throw asDiskError(error, target) ?? error;
        if (!existsSync(from.file)) {
          throw new PixlockError(
            'ORIGINAL_MISSING',
            `the download was deleted before it was kept (was ${PIXLOCK_DIR}/ removed during the run?); run generate again: a recorded task is fetched again, not paid again`,
            { cause: error },
          );
        }
        // The originals folder went away meanwhile: make it again.
        const again = resolve(rel, true)!;
        await rename(from.file, again).catch((e: unknown) => {
          throw asDiskError(e, again) ?? e;
        });
      }
    },
    async list() {
      const names = await readdir(`${dir}/${ORIGINALS_DIR}`).catch(() => [] as string[]);
      const found: LocalOriginal[] = [];
      for (const name of names) {
        const sha256 = ORIGINAL_NAME.exec(name)?.[1];
        if (sha256 !== undefined) found.push({ sha256, file: `${ORIGINALS_DIR}/${name}` });
      }
      return found;
    },
    async remove(original) {
      const name = original.file.slice(ORIGINALS_DIR.length + 1);
      if (!original.file.startsWith(`${ORIGINALS_DIR}/`) || !ORIGINAL_NAME.test(name)) {
        throw new PixlockError(
          'PATH_UNSAFE',
          `refusing to delete ${original.file}: not an original's name`,
        );
      }
      const file = resolve(original.file, false);
      if (file) await rm(file, { force: true });
    },
  };
}
