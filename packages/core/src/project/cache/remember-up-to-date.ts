import { typeDeclarations } from '../../assets/type-declarations.js';
import type { Lockfile } from '../../lock/lockfile.js';
import type { ResolvedManifest } from '../../manifest/resolved-manifest.js';
import type { Plan } from '../../plan/plan-types.js';
import { RACY_MS } from '../../util/racy.js';
import { sha256 } from '../../util/sha256.js';
import type { CacheSession } from './cache-session.js';
import type { DiskStamps } from './hash-cache.js';
import { lockDigest, lockKeyMtime } from './lock-cache.js';
import { identityMtime, manifestWitness, PIXLOCK_VERSION } from './manifest-cache.js';
import { UP_TO_DATE_FILE, UP_TO_DATE_REVISION, type UpToDateRecord } from './up-to-date.js';

/**
 * Stages the up-to-date record (see up-to-date.ts) for a plan that has nothing to do, made
 * without options from a project read in full, so the next no-op is answered from it. Not
 * written when anything it would vouch for was modified in the last few seconds (its identity
 * alone could then miss a rewrite), when the lock or manifest did not come from files read by
 * this process, or in a project pixlock keeps no files for.
 */
export async function rememberUpToDate(
  cache: CacheSession,
  project: { manifest: ResolvedManifest; lock: Lockfile },
  plan: Plan,
  planKey: string,
  stamps: DiskStamps,
): Promise<void> {
  const { manifest, lock } = project;
  if (!plan.entries.every((e) => e.action === 'unchanged' || e.action === 'orphan')) return;
  const witness = manifestWitness(manifest);
  const lockKey = lockDigest(lock);
  if (!witness || lockKey === undefined) return;
  // "<stat key>\0<digest>": a lock cached while racily clean had its bytes compared with that
  // digest when read; either way its stat key is trusted once its mtime is old.
  const key = lockKey.split('\0')[0]!;
  const old = Date.now() - RACY_MS;
  if (!(lockKeyMtime(key) < old)) return;
  // No original: a plan with nothing to do asked the originals store nothing, so no answer
  // of it is vouched for (and a no-op never needs the store).
  const identities = [...witness.files.map((f) => f[2]), ...witness.references.map((r) => r[2])];
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
    outputs,
    planKey,
    declarations: sha256(typeDeclarations(manifest)),
  };
  const text = JSON.stringify(record);
  // Unchanged (a caller that plans without asking the record first, like the Vite plugin):
  // not rewritten.
  if ((await cache.read(UP_TO_DATE_FILE)) === text) return;
  cache.stage(UP_TO_DATE_FILE, text);
}
