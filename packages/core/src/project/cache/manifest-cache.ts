import { statSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { isUrlReference } from '../../manifest/is-url-reference.js';
import { repositoryRoot, resolveReal } from '../../disk/repository-root.js';
import type { ManifestSources } from '../../manifest/manifest-sources.js';
import type { ResolvedManifest } from '../../manifest/resolved-manifest.js';
import { MANIFEST_MAX_BYTES, readRegularFile } from '../../disk/read-regular-file.js';
import { sha256 } from '../../util/sha256.js';
import { CACHE_FILES } from './cache-files.js';
import type { CacheSession } from './cache-session.js';

const FILE = CACHE_FILES.manifest;
/** Bumped when what is cached, or what it depends on, changes shape. */
const REVISION = 1;
const VERSION = (createRequire(import.meta.url)('../../../package.json') as { version: string })
  .version;

/** pixlock's version, which every cache entry names: an upgrade reads everything afresh. */
export const PIXLOCK_VERSION = VERSION;

/**
 * Everything a manifest's validity depends on, taken before it was checked: each manifest file's
 * content hash and identity, the repository root, where outDir and every local reference really
 * lead (symlinks resolved) and those references' identities, and the files the `include`
 * globs matched.
 */
export interface ManifestWitness {
  revision: number;
  version: string;
  file: string;
  root: string;
  realFile: string;
  /** Every manifest file read: path, sha256 of the bytes parsed, identity. */
  files: [string, string, string][];
  include: string[];
  /** outDir as written, and where it really leads. */
  outDir: [string | null, string | null];
  /** Each local reference: absolute path, real path, identity of the real file. */
  references: [string, string, string][];
}

/**
 * A file's identity the way git trusts its index, plus ctime: any write, rename over it, or
 * `touch` changes one of these, and a checkout gives new inodes and ctimes, so a cache file
 * committed beside a hostile manifest cannot name this checkout's files.
 */
export function statIdentity(s: Stats | undefined): string {
  return s ? `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}:${s.mode}` : 'missing';
}

/** The mtimeMs inside a {@link statIdentity} string; -1 for a missing file. */
export function identityMtime(identity: string): number {
  if (identity === 'missing') return -1;
  const parts = identity.split(':');
  return parts.length === 6 ? Number(parts[3]) : Infinity;
}

/**
 * Takes the witness of a manifest about to be checked. Identities are taken before the checks
 * run: a file that changes during or after them no longer matches, and the cache is not used.
 */
export async function takeWitness(input: ManifestSources): Promise<ManifestWitness> {
  const files: [string, string, string][] = [];
  for (const [f, digest] of input.digests)
    files.push([f, digest, statIdentity(statSync(f, { throwIfNoEntry: false }))]);
  const references = new Map<string, [string, string, string]>();
  for (const site of input.references) {
    if (isUrlReference(site.ref)) continue;
    const abs = path.resolve(path.dirname(site.file), site.ref);
    if (!references.has(abs)) references.set(abs, await referenceIdentity(abs));
  }
  const dir = path.dirname(input.file);
  return {
    revision: REVISION,
    version: VERSION,
    file: input.file,
    root: input.root,
    realFile: input.realFile,
    files,
    include: [...input.include],
    outDir: [
      input.outDir ?? null,
      input.outDir === undefined ? null : await resolveReal(path.resolve(dir, input.outDir)),
    ],
    references: [...references.values()],
  };
}

async function referenceIdentity(abs: string): Promise<[string, string, string]> {
  const real = await resolveReal(abs).catch(() => '');
  return [abs, real, statIdentity(real ? statSync(real, { throwIfNoEntry: false }) : undefined)];
}

/**
 * Stages a manifest that passed every check beside its witness, written when the command
 * succeeds, and only in a project pixlock already keeps files for: reading a manifest must
 * not create folders.
 */
export function rememberManifest(
  cache: CacheSession,
  witness: ManifestWitness,
  manifest: ResolvedManifest,
): void {
  noteDigest(manifest, witness);
  cache.stage(FILE, JSON.stringify({ witness, manifest }));
}

/**
 * The manifest kept for `file` when everything it was checked against is still exactly as it
 * was, else undefined (and the caller reads and checks it in full). Any doubt is a miss: a
 * missing, corrupt or foreign cache file, a manifest file whose bytes or identity changed, a
 * moved repository root, outDir or reference leading elsewhere, a reference replaced, or an
 * `include` that now matches other files (`globFiles` lists them again).
 */
export async function cachedManifest(
  cache: CacheSession,
  file: string,
  globFiles: (patterns: string[], root: string, realFile: string) => Promise<string[] | undefined>,
): Promise<ResolvedManifest | undefined> {
  let record: { witness: ManifestWitness; manifest: ResolvedManifest };
  try {
    record = JSON.parse((await cache.read(FILE)) ?? '') as typeof record;
  } catch {
    return undefined;
  }
  const w = record?.witness;
  if (
    typeof record?.manifest !== 'object' ||
    record.manifest === null ||
    record.manifest.file !== file ||
    !Array.isArray(record.manifest.images) ||
    !(await witnessHolds(w, file, globFiles, { contents: true }))
  )
    return undefined;
  return noteDigest(record.manifest, w);
}

/**
 * True when everything `w` witnessed is still exactly as it was: each manifest file's identity
 * (and, with `contents`, its bytes), the repository root, where the manifest, outDir and every
 * local reference really lead, and the files the `include` globs match. Any doubt is false.
 * Without `contents`, a file rewritten in place within its clock tick with the same size would
 * pass: callers that skip the bytes only trust witnesses taken of files not modified for a
 * while (see up-to-date.ts).
 */
export async function witnessHolds(
  w: ManifestWitness | undefined,
  file: string,
  globFiles: (patterns: string[], root: string, realFile: string) => Promise<string[] | undefined>,
  options: { contents: boolean },
): Promise<boolean> {
  if (
    !w ||
    w.revision !== REVISION ||
    w.version !== VERSION ||
    w.file !== file ||
    !Array.isArray(w.files) ||
    !Array.isArray(w.references) ||
    !Array.isArray(w.include) ||
    !Array.isArray(w.outDir)
  )
    return false;
  try {
    for (const [f, digest, identity] of w.files) {
      if (statIdentity(statSync(f, { throwIfNoEntry: false })) !== identity) return false;
      if (options.contents) {
        const bytes = await readRegularFile(f, { maxBytes: MANIFEST_MAX_BYTES, follow: true });
        if (sha256(bytes) !== digest) return false;
      }
    }
    const dir = path.dirname(file);
    if ((await repositoryRoot(dir)) !== w.root) return false;
    if ((await resolveReal(file)) !== w.realFile) return false;
    const [outDir, outDirReal] = w.outDir;
    const real = outDir === null ? null : await resolveReal(path.resolve(dir, outDir));
    if (real !== outDirReal) return false;
    for (const [abs, real, identity] of w.references) {
      const now = await referenceIdentity(abs);
      if (now[1] !== real || now[2] !== identity) return false;
    }
    if (w.include.length > 0) {
      const found = await globFiles(w.include, w.root, w.realFile);
      const read = w.files.slice(1).map((f) => f[0]);
      if (!found || found.length !== read.length || found.some((f, i) => f !== read[i]))
        return false;
    }
  } catch {
    return false;
  }
  return true;
}

const witnesses = new WeakMap<ResolvedManifest, ManifestWitness>();

/** What a manifest object read from files by this process was checked against; else undefined. */
export function manifestWitness(manifest: ResolvedManifest): ManifestWitness | undefined {
  return witnesses.get(manifest);
}

const digests = new WeakMap<ResolvedManifest, string>();

/**
 * A digest of what a manifest object was resolved from (every manifest file's path and bytes,
 * and pixlock's version), for manifests read from files by this process; else undefined.
 */
export function manifestDigest(manifest: ResolvedManifest): string | undefined {
  return digests.get(manifest);
}

function noteDigest(manifest: ResolvedManifest, witness: ManifestWitness): ResolvedManifest {
  const d = `${witness.version}\0${JSON.stringify(witness.files.map(([f, digest]) => [f, digest]))}`;
  digests.set(manifest, sha256(Buffer.from(d)));
  witnesses.set(manifest, witness);
  return manifest;
}
