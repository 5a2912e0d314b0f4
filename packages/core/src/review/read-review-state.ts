import path from 'node:path';
import { LOCK_FILE_NAME, type ProjectPaths } from '../disk/project-paths.js';
import type { CacheSession } from '../project/cache/cache-session.js';
import { readManifest } from '../project/read-manifest.js';
import { isPixlockError, PixlockError } from '../errors.js';
import { checkLockContainment } from '../lock/lock-containment.js';
import { emptyLock, type Lockfile } from '../lock/lockfile.js';
import { parseLock } from '../lock/parse-lock.js';
import { loadManifest } from '../manifest/load-manifest.js';
import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import type { FileSource } from '../sources/file-source.js';
import {
  findOriginal,
  findPreview,
  keptOriginal,
  type PreviewPlace,
  type SavePreview,
} from './find-preview.js';
import type { Preview, ReviewState } from './review-types.js';

/** How to read one side of a review. */
export interface ReadStateOptions {
  /** Absolute path of the main manifest (in the working tree's terms). */
  manifestFile: string;
  source: FileSource;
  label: string;
  /**
   * For the working tree, its paths and the command's caches: its manifest is then read as
   * every command reads it (project/read-manifest.ts), and what it would cache is staged there.
   */
  workingTree?: { paths: ProjectPaths; cache: CacheSession };
}

/**
 * Reads one side of a review: the manifest with its includes and the lock, both through
 * `source`. Its pictures are found afterwards, by {@link withPreviews}. A side without a manifest (the base before
 * pixlock was added) is empty. Errors name the side: "at git ref origin/main (…)".
 */
export async function readReviewState(options: ReadStateOptions): Promise<ReviewState> {
  const { manifestFile, source, label } = options;
  const dir = path.dirname(manifestFile);
  let manifest: ResolvedManifest | undefined;
  if (await source.exists(manifestFile)) {
    const tree = options.workingTree;
    manifest = await withSide(source, () =>
      tree ? readManifest(tree.paths, tree.cache) : loadManifest(manifestFile, source),
    );
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
  return { label, manifest, lock, previews: {}, config: path.basename(manifestFile) };
}

/**
 * The state with the pictures of the images `ids` found and saved (only those: a report of a
 * large project holds only what changed, not a copy of every image).
 */
export async function withPreviews(
  state: ReviewState,
  ids: Iterable<string>,
  places: PreviewPlace[],
  save: SavePreview,
  options: { candidates?: boolean } = {},
): Promise<ReviewState> {
  const dir = state.manifest?.dir;
  const previews: Record<string, Preview> = {};
  const candidatePreviews: Record<string, Preview[]> = {};
  for (const id of ids) {
    const entry = state.lock.images[id];
    if (!entry || !dir) continue;
    previews[id] = await findPreview(dir, entry, places, save);
    // Candidates are shown from their kept originals: only the chosen one has outputs.
    if (options.candidates && entry.candidates && entry.candidates.length > 1) {
      const shown: Preview[] = [];
      for (const c of entry.candidates) {
        shown.push(
          (await findOriginal(c.original, places, save)) ?? {
            missing: `${keptOriginal(c.original, places)} is not there with the sha256 the lock records`,
          },
        );
      }
      candidatePreviews[id] = shown;
    }
  }
  return { ...state, previews, candidatePreviews };
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
