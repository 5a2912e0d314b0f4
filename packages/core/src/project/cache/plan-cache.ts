import { createHash } from 'node:crypto';
import type { Lockfile } from '../../lock/lockfile.js';
import { CACHE_FILES } from './cache-files.js';
import type { CacheSession } from './cache-session.js';
import { lockDigest } from './lock-cache.js';
import { manifestDigest } from './manifest-cache.js';
import type { ResolvedManifest } from '../../manifest/resolved-manifest.js';
import type { OriginalKey, OriginalsStore } from '../../originals/originals-store.js';
import {
  PLAN_OPTION_KEYS,
  PLAN_VERSION,
  planOptionsOf,
  type Observed,
  type Plan,
  type PlanOptions,
} from '../../plan/plan-types.js';

const FILE = CACHE_FILES.plan;

/** A plan and the store's answers it was made with (sha256 → held). */
export interface PlanWithAnswers {
  plan: Plan;
  originals: ReadonlyMap<string, boolean>;
}

/**
 * The key of a plan: everything `plan()` reads but the originals store's answers, as digests.
 * The manifest's is the sha256 of every manifest file's bytes (with pixlock's version); the
 * lock's, its stat key and content hash; the outputs', every observed hash; the options', each
 * of {@link PLAN_OPTION_KEYS}; and the store's name, which the plan's reasons quote. Undefined
 * when one of them is unknown (a manifest not read from files, a lock a journal replay
 * changed): that plan is computed, not cached. The answers are kept beside the plan and asked
 * again (see {@link cachedPlan}).
 */
export function planKey(
  manifest: ResolvedManifest,
  lock: Lockfile,
  observed: Omit<Observed, 'originals'>,
  store: string,
  options: PlanOptions,
): string | undefined {
  const m = manifestDigest(manifest);
  const l = lockDigest(lock);
  if (m === undefined || l === undefined) return undefined;
  const picked = planOptionsOf(options);
  const h = createHash('sha256');
  h.update(`${m}\0${l}\0${JSON.stringify(PLAN_OPTION_KEYS.map((k) => picked[k] ?? null))}\0`);
  for (const [f, hash] of observed.files) h.update(`${f}\0${hash ?? '-'}\n`);
  h.update(`\0originals\0${store}\0references\0`);
  for (const [f, hash] of observed.references) h.update(`${f}\0${hash}\n`);
  return h.digest('hex');
}

/**
 * The plan kept under this key, or undefined (also for any file that does not look right).
 * A plan made with answers of the originals store holds only while the store answers the same:
 * it is asked again, in one call, about those originals (none for a plan with nothing to
 * restore).
 */
export async function cachedPlan(
  cache: CacheSession,
  key: string,
  store: OriginalsStore | undefined,
): Promise<PlanWithAnswers | undefined> {
  const text = (await cache.read(FILE)) ?? '';
  const cut = text.indexOf('\n');
  const cut2 = text.indexOf('\n', cut + 1);
  if (cut < 0 || cut2 < 0 || text.slice(0, cut) !== key) return undefined;
  try {
    const asked = JSON.parse(text.slice(cut + 1, cut2)) as [string, boolean, string][];
    const plan = JSON.parse(text.slice(cut2 + 1)) as Plan;
    const ok =
      Array.isArray(asked) &&
      asked.every(
        (a) =>
          Array.isArray(a) &&
          typeof a[0] === 'string' &&
          typeof a[1] === 'boolean' &&
          typeof a[2] === 'string',
      ) &&
      plan?.version === PLAN_VERSION &&
      Array.isArray(plan.entries) &&
      typeof plan.credits === 'number' &&
      typeof plan.usd === 'number' &&
      plan.entries.every((e) => typeof e?.id === 'string' && typeof e.action === 'string');
    if (!ok) return undefined;
    const originals = new Map(asked.map(([sha256, held]) => [sha256, held]));
    if (asked.length > 0) {
      if (!store) return undefined;
      const held = await store.has(asked.map(([sha256, , mediaType]) => ({ sha256, mediaType })));
      if (asked.some(([sha256, was]) => held.has(sha256) !== was)) return undefined;
    }
    return { plan, originals };
  } catch {
    return undefined;
  }
}

/**
 * Stages a plan under its key, with the store's answers it was made with, for a project pixlock
 * already keeps files for.
 */
export function rememberPlan(
  cache: CacheSession,
  key: string,
  made: PlanWithAnswers,
  lock: Lockfile,
): void {
  const media = new Map(keysOf(lock, new Set(made.originals.keys())).map((k) => [k.sha256, k]));
  const asked = [...made.originals].map(([sha256, held]) => [
    sha256,
    held,
    media.get(sha256)?.mediaType,
  ]);
  const text = `${key}\n${JSON.stringify(asked)}\n${JSON.stringify(made.plan)}`;
  cache.stage(FILE, text);
}

/** The lock's originals (and candidates') whose sha256 is in `wanted`, each once. */
export function keysOf(lock: Lockfile, wanted: ReadonlySet<string>): OriginalKey[] {
  const keys = new Map<string, OriginalKey>();
  for (const entry of Object.values(lock.images))
    for (const o of [entry.original, ...(entry.candidates ?? []).map((c) => c.original)])
      if (wanted.has(o.sha256) && !keys.has(o.sha256)) keys.set(o.sha256, o);
  return [...keys.values()];
}
