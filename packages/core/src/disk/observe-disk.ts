import { createReadStream } from 'node:fs';
import { statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import pLimit from 'p-limit';
import type { Lockfile } from '../lock/lockfile.js';
import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import { isUrlReference } from '../plan/hashes.js';
import { resolveReference, type Observed } from '../plan/plan.js';
import { writeCacheFile } from './write-cache-file.js';
import { extensionForMediaType } from '../assets/media-types.js';
import { projectPaths } from './project-paths.js';

type StatKey = string;
interface CacheFile {
  version: 1;
  entries: Record<string, [StatKey, string]>;
}

/**
 * Looks at the disk for what the plan needs: the hash of every locked output, which originals
 * exist, and the hash of local reference files. Hashes are cached by (size, mtime, inode) in
 * `.pixlock/cache/` (not committed), the way git trusts its index, so a no-op run over
 * thousands of files reads almost nothing.
 */
export async function observeDisk(manifest: ResolvedManifest, lock: Lockfile): Promise<Observed> {
  const paths = projectPaths(manifest.file);
  const cacheFile = path.join(paths.cacheDir, 'hashes.json');
  const cache = await readCache(cacheFile);
  const next: CacheFile = { version: 1, entries: {} };
  const toHash: { abs: string; key: string; statKey: string; into: Map<string, string | null> }[] =
    [];

  // Synchronous stat on purpose: for tens of thousands of small files it is several times
  // faster than the promise API, and nothing else runs while planning. Only files whose
  // stat changed since the cache was written are read and hashed (below, in parallel).
  const observe = (abs: string, key: string, into: Map<string, string | null>) => {
    const s = statSync(abs, { throwIfNoEntry: false });
    if (!s?.isFile()) return void into.set(key, null);
    const statKey = `${s.size}:${s.mtimeMs}:${s.ino}`;
    const hit = cache.entries[key];
    if (hit && hit[0] === statKey) {
      next.entries[key] = hit;
      into.set(key, hit[1]);
    } else {
      toHash.push({ abs, key, statKey, into });
    }
  };

  const files = new Map<string, string | null>();
  const originals = new Set<string>();
  const references = new Map<string, string | null>();
  const root = manifest.dir + path.sep;
  const present = new Set(await readdir(paths.originalsDir).catch(() => [] as string[]));
  for (const id in lock.images) {
    const entry = lock.images[id]!;
    for (const f of entry.output.files) observe(root + f.path, f.path, files);
    const o = entry.original;
    if (present.has(`${o.sha256}.${extensionForMediaType(o.mediaType)}`)) originals.add(o.sha256);
  }
  for (const image of manifest.images) {
    for (const ref of image.references) {
      if (isUrlReference(ref)) continue;
      const abs = resolveReference(image.sourceFile, ref);
      observe(abs, abs, references);
    }
  }
  const limit = pLimit(16);
  await Promise.all(
    toHash.map((job) =>
      limit(async () => {
        const hash = await hashFile(job.abs);
        next.entries[job.key] = [job.statKey, hash];
        job.into.set(job.key, hash);
      }),
    ),
  );
  for (const [abs, hash] of references) if (hash === null) references.delete(abs);
  const changed = toHash.length > 0;
  if (changed || Object.keys(next.entries).length !== Object.keys(cache.entries).length) {
    await writeCacheFile(path.dirname(cacheFile), path.basename(cacheFile), JSON.stringify(next));
  }
  return { files, originals, references: references as Map<string, string> };
}

async function readCache(file: string): Promise<CacheFile> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as CacheFile;
    if (data.version === 1 && data.entries) return data;
  } catch {
    // No cache, or a broken one: hash everything again.
  }
  return { version: 1, entries: {} };
}

function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
