import { createReadStream } from 'node:fs';
import { lstatSync, readFileSync, statSync, type Stats } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import pLimit from 'p-limit';
import type { Lockfile } from '../lock/lockfile.js';
import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import { isUrlReference } from '../plan/is-url-reference.js';
import { resolveReference } from '../plan/resolve-reference.js';
import type { Observed } from '../plan/plan-types.js';
import { writeCacheFile } from './cache/write-cache-file.js';
import type { ProjectPaths } from '../disk/project-paths.js';
import { outputPathIn } from '../lock/output-path.js';
import { readCacheText } from '../disk/read-regular-file.js';
import { RACY_MS } from '../util/racy.js';

/** size, mtimeMs, inode, ctimeMs, sha256: a hash is trusted while the first four hold. */
type Entry = [number, number, number, number, string];
/** A file as `lstat` saw it: size, mtimeMs, inode, ctimeMs. */
export type FileStamp = [number, number, number, number];

/** What the observation was made of, for the up-to-date record (project/remember-up-to-date.ts). */
export interface DiskStamps {
  /** Each locked output: its stamp when it was hashed or its hash trusted, null when missing. */
  outputs: Map<string, FileStamp | null>;
}

/** What the working tree holds of a project's files: everything the plan observes but originals. */
export type ObservedFiles = Omit<Observed, 'originals' | 'originalsStore'> & {
  /** Absolute path of a local reference file → its sha256 (absent when the file is missing). */
  references: Map<string, string>;
  stamps: DiskStamps;
};

interface CacheFile {
  version: 2;
  entries: Record<string, Entry>;
}

/**
 * Looks at the working tree for what the plan needs of it: the hash of every locked output
 * (and, for one an earlier `outDir` holds, of the file at its place in the current one), and
 * the hash of local reference files. Which originals exist is the originals store's to say
 * (plan-project.ts asks it). Hashes are cached by (size, mtime, inode, ctime) in
 * `.pixlock/cache/` (not committed), the way git trusts its index, so a no-op run over
 * thousands of files reads almost nothing: one `lstat` per file.
 */
export async function observeOutputs(
  paths: ProjectPaths,
  manifest: ResolvedManifest,
  lock: Lockfile,
): Promise<ObservedFiles> {
  const cacheFile = path.join(paths.cacheDir, 'hashes.json');
  const cache = await readCache(cacheFile);
  const toHash: { abs: string; key: string; stat: Stats; into: Map<string, string | null> }[] = [];
  // Hashes read afresh; the cache is rewritten only when there are some. (Entries of files
  // that went away stay until then: harmless, as a hit needs the file's own stat.)
  const fresh = new Map<string, Entry>();

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
    const hit = cache.entries[key];
    if (
      Array.isArray(hit) &&
      hit[0] === s.size &&
      hit[1] === s.mtimeMs &&
      hit[2] === s.ino &&
      hit[3] === s.ctimeMs &&
      typeof hit[4] === 'string'
    ) {
      into.set(key, hit[4]);
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
        const { size, mtimeMs, ino, ctimeMs } = job.stat;
        fresh.set(job.key, [size, mtimeMs, ino, ctimeMs, hash]);
        job.into.set(job.key, hash);
      }),
    ),
  );
  for (const [abs, hash] of references) if (hash === null) references.delete(abs);
  if (fresh.size > 0) {
    // A file modified within a clock tick of being hashed could change again with the same
    // size and times ("racily clean", in git's words): not kept, so hashed again next time.
    const now = Date.now();
    const entries: Record<string, Entry> = {};
    for (const into of [files, references])
      for (const [key, hash] of into) {
        const e = fresh.get(key) ?? cache.entries[key];
        if (hash !== null && e !== undefined && now - e[1] >= RACY_MS) entries[key] = e;
      }
    const next: CacheFile = { version: 2, entries };
    // Only a speed-up, like every cache: a folder that cannot hold it (read-only, or a link
    // committed where the file was, which the write refuses) costs a rehash next time.
    await writeCacheFile(
      path.dirname(cacheFile),
      path.basename(cacheFile),
      JSON.stringify(next),
    ).catch(() => undefined);
  }
  return {
    files,
    references: references as Map<string, string>,
    stamps: { outputs: stamps },
  };
}

async function readCache(file: string): Promise<CacheFile> {
  try {
    // Entries are checked where they are used (numbers compared with ===, a string hash).
    const data = JSON.parse((await readCacheText(file)) ?? '') as CacheFile;
    if (data.version === 2 && typeof data.entries === 'object' && data.entries !== null)
      return data;
  } catch {
    // No cache, or a broken one: hash everything again.
  }
  return { version: 2, entries: {} };
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
