import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { typeDeclarations } from '../assets/type-declarations.js';
import type { DiskStamps } from '../disk/observe-disk.js';
import { writeCacheFile } from '../disk/write-cache-file.js';
import { lockDigest } from '../lock/parsed-lock-cache.js';
import { manifestWitness, PIXLOCK_VERSION } from '../manifest/manifest-cache.js';
import type { Plan } from '../plan/plan-types.js';
import { sha256 } from '../util/sha256.js';
import type { Project } from './load-project.js';
import {
  RACY_MS,
  UP_TO_DATE_FILE,
  UP_TO_DATE_REVISION,
  type UpToDateRecord,
} from './up-to-date.js';

/**
 * Leaves the up-to-date record (see up-to-date.ts) for a plan that has nothing to do, made
 * without options from a project read in full, so the next no-op is answered from it. Not
 * written when anything it would vouch for was modified in the last few seconds (its identity
 * alone could then miss a rewrite), when the lock or manifest did not come from files read by
 * this process, or in a project pixlock keeps no files for. Only a speed-up: failures are
 * ignored.
 */
export async function rememberUpToDate(
  project: Project,
  plan: Plan,
  planKey: string,
  stamps: DiskStamps,
): Promise<void> {
  const { manifest, lock, paths } = project;
  if (!plan.entries.every((e) => e.action === 'unchanged' || e.action === 'orphan')) return;
  const witness = manifestWitness(manifest);
  const lockKey = lockDigest(lock);
  if (!witness || lockKey === undefined || !existsSync(path.dirname(paths.cacheDir))) return;
  // "<stat key>\0<digest>": a lock cached while racily clean had its bytes compared with that
  // digest when read; either way its stat key is trusted once its mtime is old.
  const key = lockKey.split('\0')[0]!;
  const old = Date.now() - RACY_MS;
  if (!(lockKeyMtime(key) < old)) return;
  const identities = [
    ...witness.files.map((f) => f[2]),
    ...witness.references.map((r) => r[2]),
    stamps.originalsDir,
  ];
  if (identities.some((id) => !(identityMtime(id) < old))) return;
  const outputs: UpToDateRecord['outputs'] = [];
  for (const [file, stamp] of stamps.outputs) {
    if (stamp && !(stamp[1] < old)) return;
    outputs.push(stamp ? [file, ...stamp] : [file]);
  }
  const record: UpToDateRecord = {
    revision: UP_TO_DATE_REVISION,
    version: PIXLOCK_VERSION,
    file: manifest.file,
    manifest: witness,
    lock: key,
    outDir: manifest.outDir,
    originals: stamps.originalsDir,
    outputs,
    planKey,
    declarations: sha256(typeDeclarations(manifest)),
  };
  const text = JSON.stringify(record);
  // Unchanged (a caller that plans without asking the record first, like the Vite plugin):
  // not rewritten.
  const file = path.join(paths.cacheDir, UP_TO_DATE_FILE);
  if ((await readFile(file, 'utf8').catch(() => '')) === text) return;
  await writeCacheFile(paths.cacheDir, UP_TO_DATE_FILE, text).catch(() => undefined);
}

/** The mtimeMs inside a statIdentity() string ("dev:ino:size:mtimeMs:ctimeMs:mode"); -1 for none. */
function identityMtime(identity: string): number {
  if (identity === 'missing') return -1;
  const parts = identity.split(':');
  return parts.length === 6 ? Number(parts[3]) : Infinity;
}

/** The mtimeMs inside a lock cache key ("<revision> size:mtimeMs:ino:ctimeMs <outDir>"). */
function lockKeyMtime(key: string): number {
  const stat = key.split(' ')[1]?.split(':');
  return stat?.length === 4 ? Number(stat[1]) : Infinity;
}
