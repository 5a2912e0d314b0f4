import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { projectPaths } from '../disk/project-paths.js';
import { writeCacheFile } from '../disk/write-cache-file.js';
import type { Lockfile } from '../lock/lockfile.js';
import { lockDigest } from '../lock/parsed-lock-cache.js';
import { manifestDigest } from '../manifest/manifest-cache.js';
import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import { PLAN_VERSION, type Observed, type Plan } from '../plan/plan-types.js';

const FILE = 'plan.json';

// Options that decide the plan; any other option a caller passes is known not to (GenerateOptions
// and the Vite plugin's). An option outside both lists may change the plan: no cache then.
const PLAN_KEYS = ['only', 'force', 'alsoAccept'] as const;
const OTHER_KEYS = new Set([
  'config',
  'concurrency',
  'frozen',
  'dryRun',
  'maxCredits',
  'signal',
  'onEvent',
  'logger',
  'clock',
  'random',
  'env',
  'provider',
  'waitMs',
  'store',
  'codec',
  'journal',
  'acquireMutex',
]);

/**
 * The key of a plan: everything `plan()` reads, as digests. The manifest's is the sha256 of
 * every manifest file's bytes (with pixlock's version); the lock's, its stat key and content
 * hash; the disk's, every observed hash. Undefined when one of them is unknown (a manifest not
 * read from files, a lock a journal replay changed): that plan is computed, not cached.
 */
export function planKey(
  manifest: ResolvedManifest,
  lock: Lockfile,
  observed: Observed,
  options: object,
): string | undefined {
  const m = manifestDigest(manifest);
  const l = lockDigest(lock);
  if (m === undefined || l === undefined) return undefined;
  const opts = options as Record<string, unknown>;
  for (const k of Object.keys(opts))
    if (
      opts[k] !== undefined &&
      !OTHER_KEYS.has(k) &&
      !(PLAN_KEYS as readonly string[]).includes(k)
    )
      return undefined;
  const h = createHash('sha256');
  h.update(`${m}\0${l}\0${JSON.stringify(PLAN_KEYS.map((k) => opts[k] ?? null))}\0`);
  for (const [f, hash] of observed.files) h.update(`${f}\0${hash ?? '-'}\n`);
  h.update('\0originals\0');
  for (const o of observed.originals) h.update(`${o}\n`);
  h.update('\0references\0');
  for (const [f, hash] of observed.references) h.update(`${f}\0${hash}\n`);
  return h.digest('hex');
}

/** The plan kept under this key, or undefined (also for any file that does not look right). */
export async function cachedPlan(manifestFile: string, key: string): Promise<Plan | undefined> {
  const text = await readFile(path.join(projectPaths(manifestFile).cacheDir, FILE), 'utf8').catch(
    () => '',
  );
  const cut = text.indexOf('\n');
  if (cut < 0 || text.slice(0, cut) !== key) return undefined;
  try {
    const plan = JSON.parse(text.slice(cut + 1)) as Plan;
    const ok =
      plan?.version === PLAN_VERSION &&
      Array.isArray(plan.entries) &&
      typeof plan.credits === 'number' &&
      typeof plan.usd === 'number' &&
      plan.entries.every((e) => typeof e?.id === 'string' && typeof e.action === 'string');
    return ok ? plan : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps a plan under its key, in a project pixlock already keeps files for. Only a speed-up. */
export async function rememberPlan(manifestFile: string, key: string, plan: Plan): Promise<void> {
  const { cacheDir } = projectPaths(manifestFile);
  if (!existsSync(path.dirname(cacheDir))) return;
  await writeCacheFile(cacheDir, FILE, `${key}\n${JSON.stringify(plan)}`).catch(() => undefined);
}
