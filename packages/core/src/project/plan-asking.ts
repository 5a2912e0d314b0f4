import type { Lockfile } from '../lock/lockfile.js';
import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import type { OriginalsStore } from '../originals/originals-store.js';
import { plan } from '../plan/plan.js';
import type { Observed, PlanOptions } from '../plan/plan-types.js';
import { keysOf, type PlanWithAnswers } from './cache/plan-cache.js';

/**
 * Plans, asking the originals store only about the originals the plan needs: those of images
 * whose outputs are missing, modified or made with other options. The pure plan asks
 * synchronously, so it is made once with every unknown original taken as there, and the
 * originals it asked about are then asked of the store in one call; it is made again with the
 * answers until it asks nothing new (an original found missing changes what images built on it
 * ask: at most a few rounds, and none at all when nothing needs an original).
 */
export async function planAsking(
  manifest: ResolvedManifest,
  lock: Lockfile,
  files: Omit<Observed, 'originals'>,
  store: OriginalsStore,
  options: PlanOptions = {},
  known: Map<string, boolean> = new Map(),
): Promise<PlanWithAnswers> {
  for (;;) {
    const asked = new Set<string>();
    const originals = {
      has(sha256: string): boolean {
        const held = known.get(sha256);
        if (held !== undefined) return held;
        asked.add(sha256);
        return true;
      },
    };
    const made = plan(manifest, lock, { ...files, originals, originalsStore: store.name }, options);
    if (asked.size === 0) return { plan: made, originals: known };
    const held = await store.has(keysOf(lock, asked));
    for (const sha256 of asked) known.set(sha256, held.has(sha256));
  }
}
