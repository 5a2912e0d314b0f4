import path from 'node:path';
import { LOCK_FILE_NAME } from '../disk/project-paths.js';
import { isPixlockError, PixlockError } from '../errors.js';
import { checkLockContainment } from '../lock/lock-containment.js';
import { emptyLock, type Lockfile } from '../lock/lockfile.js';
import { parseLock } from '../lock/parse-lock.js';
import { loadManifest } from '../manifest/load-manifest.js';
import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import type { FileSource } from '../sources/file-source.js';
import { findPreview, type PreviewPlace, type SavePreview } from './find-preview.js';
import type { Preview, ReviewState } from './review-types.js';

/** How to read one side of a review. */
export interface ReadStateOptions {
  /** Absolute path of the main manifest (in the working tree's terms). */
  manifestFile: string;
  source: FileSource;
  label: string;
  /** Where this side's images may be found, in order. */
  places: PreviewPlace[];
  save: SavePreview;
}

/**
 * Reads one side of a review: the manifest with its includes and the lock, both through
 * `source`, then finds every locked image's bytes. A side without a manifest (the base before
 * pixlock was added) is empty. Errors name the side: "at git ref origin/main (…)".
 */
export async function readReviewState(options: ReadStateOptions): Promise<ReviewState> {
  const { manifestFile, source, label } = options;
  const dir = path.dirname(manifestFile);
  let manifest: ResolvedManifest | undefined;
  if (await source.exists(manifestFile)) {
    manifest = await withSide(source, () => loadManifest(manifestFile, source));
  }
  const lockFile = path.join(dir, LOCK_FILE_NAME);
  let lock: Lockfile = emptyLock();
  if (await source.exists(lockFile)) {
    const text = (await source.readFile(lockFile)).toString('utf8');
    lock = await withSide(source, () => {
      const parsed = parseLock(text, lockFile);
      if (manifest) checkLockContainment(parsed, manifest.outDir, lockFile, () => text);
      return Promise.resolve(parsed);
    });
  }
  const previews: Record<string, Preview> = {};
  for (const [id, entry] of Object.entries(lock.images)) {
    previews[id] = await findPreview(dir, entry, options.places, options.save);
  }
  return { label, manifest, lock, previews };
}

/** Runs `read`, saying in any error which side of the review it was reading. */
async function withSide<T>(source: FileSource, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!isPixlockError(error)) throw error;
    throw new PixlockError(error.code, `${error.message} (in ${source.description})`, {
      ...error.extra,
      cause: error,
    });
  }
}
