import path from 'node:path';
import { checkProjectFolders } from '../disk/check-project-folders.js';
import { outputFolders } from '../project/output-folders.js';
import { PIXLOCK_DIR, projectPaths } from '../disk/project-paths.js';
import { CacheSession } from '../project/cache/cache-session.js';
import { PixlockError } from '../errors.js';
import { gitFileSource } from '../sources/git-file-source.js';
import type { GitEnvironment } from '../sources/run-git.js';
import { nodeFileSource } from '../sources/node-file-source.js';
import { localOriginals } from '../originals/local-originals.js';
import { sourceOriginals } from '../originals/source-originals.js';
import { projectStores } from '../project/project-stores.js';
import { buildReview } from './build-review.js';
import { readReviewState, withPreviews } from './read-review-state.js';
import { startReviewFolder } from './review-folder.js';
import { renderReviewHtml } from './render-review-html.js';
import { renderReviewSummary } from './render-review-summary.js';
import type { Review } from './review-types.js';

/** Options of {@link reviewProject}. */
export interface ReviewOptions {
  /** The git ref to compare against; default `HEAD` (the last commit). */
  base?: string;
  /** The report's folder; default `.pixlock/review/` beside the manifest. */
  out?: string;
  /** The environment git runs with; default the process's own. */
  env?: GitEnvironment;
}

/** What {@link reviewProject} made. */
export interface ReviewResult {
  review: Review;
  /** Absolute path of the report's folder (`index.html`, `review.json`, `summary.md`, `images/`). */
  outDir: string;
}

/**
 * Compares the project at git ref `base` (manifest, includes and lock read from git) with the
 * working tree, and writes a self-contained report folder. Calls no provider; writes nothing
 * but the report folder.
 */
export async function reviewProject(
  configFile: string,
  options: ReviewOptions = {},
): Promise<ReviewResult> {
  const paths = projectPaths(configFile);
  const { manifestFile, dir } = paths;
  if (!(await nodeFileSource.exists(manifestFile))) {
    throw new PixlockError('MANIFEST_NOT_FOUND', `no manifest at ${manifestFile}`);
  }
  const git = await gitFileSource(dir, options.base ?? 'HEAD', options.env);
  const outDir = path.resolve(options.out ?? path.join(dir, PIXLOCK_DIR, 'review'));
  // Both sides are read (nothing written) before the report's folder is started.
  const baseState = await readReviewState({
    manifestFile,
    source: git,
    label: `${git.ref} (${git.commit.slice(0, 7)})`,
  });
  // What reading the working tree would cache, written once the report is.
  const cache = new CacheSession(paths.cacheDir);
  const head = await readReviewState({
    manifestFile,
    source: nodeFileSource,
    label: 'working tree',
    workingTree: { paths, cache },
  });
  // No link on the way to the report inside the project (`.pixlock`, a folder of --out), nor
  // where the working tree's outputs are read from: the report would be written, and an
  // earlier one removed, wherever it leads.
  const rel = path.relative(dir, outDir);
  const inside = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  checkProjectFolders(dir, [
    ...(inside ? [rel.split(path.sep).join('/')] : []),
    ...(head.manifest ? outputFolders(head.manifest, head.lock) : []),
  ]);
  // With a store, an original missing here is fetched from it (kept nowhere in the project).
  const { store, file } = head.manifest ?? {};
  const stores = store && file ? projectStores(paths, { store, file }) : undefined;
  const folder = await startReviewFolder(outDir);
  try {
    const save = (name: string, data: Buffer) => folder.saveImage(name, data);
    const originals = stores?.viewOriginals ?? localOriginals(dir);
    const disk = { source: nodeFileSource, kind: 'disk' as const, originals };
    const base = { source: git, kind: 'git' as const, originals: sourceOriginals(git, dir) };
    // First without pictures, to learn which images changed; unchanged ones get none.
    const shown = buildReview(baseState, head)
      .images.filter((i) => i.status !== 'unchanged')
      .map((i) => i.id);
    const review = buildReview(
      // The working tree first: an unchanged file is there already, with the same hash.
      await withPreviews(baseState, shown, [disk, base], save),
      await withPreviews(head, shown, [disk], save, { candidates: true }),
    );
    await folder.finish({
      'index.html': renderReviewHtml(review),
      'review.json': JSON.stringify(review, null, 2) + '\n',
      'summary.md': renderReviewSummary(review),
    });
    await cache.commit();
    return { review, outDir };
  } catch (error) {
    await folder.abandon();
    throw error;
  } finally {
    stores?.close();
  }
}
