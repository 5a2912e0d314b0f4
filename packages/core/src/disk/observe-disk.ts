import { createReadStream } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import pLimit from 'p-limit';
import type { Lockfile } from '../lock/lockfile.js';
import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import { isUrlReference } from '../plan/hashes.js';
import { resolveReference, type Observed } from '../plan/plan.js';
import { originalRelPath } from './project-paths.js';

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
  const cacheFile = path.join(manifest.dir, '.pixlock', 'cache', 'hashes.json');
  const cache = await readCache(cacheFile);
  const next: CacheFile = { version: 1, entries: {} };
  let changed = false;

  const hashOf = async (abs: string, key: string): Promise<string | null> => {
    const s = await stat(abs).catch(() => undefined);
    if (!s?.isFile()) return null;
    const statKey = `${s.size}:${s.mtimeMs}:${s.ino}`;
    const hit = cache.entries[key];
    let hash: string;
    if (hit && hit[0] === statKey) hash = hit[1];
    else {
      hash = await hashFile(abs);
      changed = true;
    }
    next.entries[key] = [statKey, hash];
    return hash;
  };

  const files = new Map<string, string | null>();
  const originals = new Set<string>();
  const references = new Map<string, string>();
  const jobs: (() => Promise<void>)[] = [];
  for (const entry of Object.values(lock.images)) {
    for (const f of entry.output.files) {
      jobs.push(
        async () => void files.set(f.path, await hashOf(path.join(manifest.dir, f.path), f.path)),
      );
    }
    const o = entry.original;
    jobs.push(async () => {
      const s = await stat(path.join(manifest.dir, originalRelPath(o.sha256, o.mediaType))).catch(
        () => undefined,
      );
      if (s?.isFile() && s.size === o.bytes) originals.add(o.sha256);
    });
  }
  for (const image of manifest.images) {
    for (const ref of image.references) {
      if (isUrlReference(ref)) continue;
      const abs = resolveReference(image.sourceFile, ref);
      jobs.push(async () => {
        const h = await hashOf(abs, abs);
        if (h) references.set(abs, h);
      });
    }
  }
  const limit = pLimit(64);
  await Promise.all(jobs.map((job) => limit(job)));
  if (changed || Object.keys(next.entries).length !== Object.keys(cache.entries).length) {
    await mkdir(path.dirname(cacheFile), { recursive: true });
    await writeFile(cacheFile, JSON.stringify(next));
    await writeFile(path.join(path.dirname(cacheFile), '.gitignore'), '*\n');
  }
  return { files, originals, references };
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
