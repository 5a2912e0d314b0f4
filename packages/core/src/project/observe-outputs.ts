import { createReadStream } from 'node:fs';
import { lstatSync, readFileSync, statSync, type Stats } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import pLimit from 'p-limit';
import type { Lockfile } from '../lock/lockfile.js';
import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import { isUrlReference } from '../manifest/is-url-reference.js';
import { resolveReference } from '../plan/resolve-reference.js';
import type { Observed } from '../plan/plan-types.js';
import type { ProjectPaths } from '../disk/project-paths.js';
import { outputPathIn } from '../lock/output-path.js';
import type { CacheSession } from './cache/cache-session.js';
import { HashCache, type DiskStamps, type FileStamp } from './cache/hash-cache.js';

/** What the working tree holds of a project's files: everything the plan observes but originals. */
export type ObservedFiles = Omit<Observed, 'originals' | 'originalsStore'> & {
  /** Absolute path of a local reference file → its sha256 (absent when the file is missing). */
  references: Map<string, string>;
  stamps: DiskStamps;
};

/**
 * Looks at the working tree for what the plan needs of it: the hash of every locked output
 * (and, for one an earlier `outDir` holds, of the file at its place in the current one), and
 * the hash of local reference files. Which originals exist is the originals store's to say
 * (plan-project.ts asks it). Hashes are cached by (size, mtime, inode, ctime) (hash-cache.ts),
 * the way git trusts its index, so a no-op run over thousands of files reads almost nothing:
 * one `lstat` per file. Writes nothing: what it would cache is staged in `session`.
 */
export async function observeOutputs(
  paths: ProjectPaths,
  manifest: ResolvedManifest,
  lock: Lockfile,
  session: CacheSession,
): Promise<ObservedFiles> {
  const cache = await HashCache.open(session);
  const toHash: { abs: string; key: string; stat: Stats; into: Map<string, string | null> }[] = [];

  // Synchronous stat on purpose: for tens of thousands of small files it is several times
  // faster than the promise API, and nothing else runs while planning. Only files whose
  // stat changed since the cache was written are read and hashed (below, in parallel).
  // Outputs are looked at without following a symlink: an output linked elsewhere is not ours
  // (a write would refuse it anyway), and following it reads outside the project, where a
  // link to a file that never ends (/proc/kmsg, as root) hung `check` past SIGTERM.
  // References were resolved inside the repository when the manifest was loaded.
  const stamps = new Map<string, FileStamp | null>();
  const observe = (abs: string, key: string, into: Map<string, string | null>, follow: boolean) => {
    const s = (follow ? statSync : lstatSync)(abs, { throwIfNoEntry: false });
    if (into === files) stamps.set(key, s?.isFile() ? [s.size, s.mtimeMs, s.ino, s.ctimeMs] : null);
    if (!s?.isFile()) return void into.set(key, null);
    const hit = cache.hit(key, s);
    if (hit !== undefined) {
      into.set(key, hit);
    } else {
      // Its place now, its hash once read: the maps list files in lock order whichever were
      // hashed, so the plan's cache key does not depend on which were.
      into.set(key, null);
      toHash.push({ abs, key, stat: s, into });
    }
  };

  const files = new Map<string, string | null>();
  const references = new Map<string, string | null>();
  const root = paths.dir + path.sep;
  for (const id in lock.images) {
    const entry = lock.images[id]!;
    for (const f of entry.output.files) {
      observe(root + f.path, f.path, files, false);
      // Outputs an earlier outDir holds: the plan moves them, unless they are there already.
      const moved = outputPathIn(f.path, id, manifest.outDir);
      if (moved !== undefined && moved !== f.path) observe(root + moved, moved, files, false);
    }
  }
  for (const image of manifest.images) {
    for (const ref of image.references) {
      if (isUrlReference(ref)) continue;
      const abs = resolveReference(image.sourceFile, ref);
      observe(abs, abs, references, true);
    }
  }
  const limit = pLimit(16);
  await Promise.all(
    toHash.map((job) =>
      limit(async () => {
        const hash = await hashFile(job.abs, job.stat.size);
        cache.note(job.key, job.stat, hash);
        job.into.set(job.key, hash);
      }),
    ),
  );
  for (const [abs, hash] of references) if (hash === null) references.delete(abs);
  cache.stage(files, references);
  return {
    files,
    references: references as Map<string, string>,
    stamps: { outputs: stamps },
  };
}

/** Below this, one read beats a stream's setup (most outputs are tens of kilobytes). */
const WHOLE_READ_MAX = 1 << 20;

async function hashFile(file: string, size: number): Promise<string> {
  // Synchronous, like the stats: the promise API's four round trips through the thread pool
  // per small file cost more than the read itself.
  if (size <= WHOLE_READ_MAX) return createHash('sha256').update(readFileSync(file)).digest('hex');
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
