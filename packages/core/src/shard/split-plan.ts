import type { Lockfile } from '../lock/lockfile.js';
import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import type { Plan } from '../plan/plan-types.js';
import { sha256 } from '../util/sha256.js';
import { imageComponents } from './image-components.js';
import { addWork, encodeCost, entryWork, NO_WORK, type Work } from './shard-work.js';
import { splitShards, type SplitItem } from './split-shards.js';

/** One shard's share of a run, as `plan --shard` shows it. */
export interface ShardLoad extends Work {
  /** From 1. */
  shard: number;
  /** Images of the manifest it is responsible for (with work or not). */
  images: number;
  /** Of which with work in this run. */
  working: number;
  /** Its work over the mean shard's (1 = the mean; see {@link ShardSplit}). */
  work: number;
}

/** A component too large for any shard to stay near the mean: it has a shard to itself. */
export interface OversizedComponent {
  /** Its images, sorted. */
  ids: string[];
  shard: number;
  /** Its work over the mean of the other shards. */
  work: number;
}

/** How a run's images are split across `total` shards. */
export interface ShardSplit {
  total: number;
  /** Image id → shard (from 1), for every image the plan covers (orphans are no shard's). */
  shardOf: ReadonlyMap<string, number>;
  loads: ShardLoad[];
  oversized: OversizedComponent[];
  /** sha256 of the whole assignment: shards that agree on it split the same way. */
  digest: string;
}

/**
 * Splits a plan's images across `total` shards, components of the image graph whole
 * (image-components.ts), by split-shards.ts.
 *
 * The work of a component is its provider tasks and its encoding, each as a share of the
 * run's total of that kind, added: a shard with a quarter of the tasks and a quarter of the
 * encoding has a quarter of the work, whatever a task costs against a megapixel. Components
 * with no work (unchanged) are split apart, by what restoring their outputs would cost, so
 * that a runner whose outputs are not on its disk (not committed) restores an even share too.
 *
 * `plan` must be made against the lock as if the disk held what it records
 * (lock-as-observed.ts), never the runner's own disk: every runner computes this, and they must
 * all get the same answer. Pure.
 */
export function splitPlan(
  manifest: ResolvedManifest,
  lock: Lockfile,
  plan: Plan,
  total: number,
): ShardSplit {
  const images = new Map(manifest.images.map((i) => [i.id, i]));
  const work = new Map<string, Work>();
  for (const entry of plan.entries) {
    const image = images.get(entry.id);
    if (image) work.set(entry.id, entryWork(entry, image, lock, manifest.outDir));
  }
  const components = imageComponents(manifest.images)
    .map((c) => ({ key: c.key, ids: c.ids.filter((id) => work.has(id)) }))
    .filter((c) => c.ids.length > 0);
  const sum = (ids: string[]) => ids.reduce((w, id) => addWork(w, work.get(id)!), NO_WORK);
  const componentWork = new Map(components.map((c) => [c.key, sum(c.ids)]));
  const all = [...componentWork.values()].reduce(addWork, NO_WORK);
  const weight = (w: Work) =>
    (all.tasks > 0 ? w.tasks / all.tasks : 0) + (all.encode > 0 ? w.encode / all.encode : 0);
  const busy: SplitItem[] = [];
  const idle: SplitItem[] = [];
  for (const c of components) {
    const w = weight(componentWork.get(c.key)!);
    if (w > 0) busy.push({ key: c.key, weight: w });
    else {
      const restore = c.ids.reduce(
        (cost, id) => cost + encodeCost(images.get(id)!, lock, manifest.outDir),
        0,
      );
      idle.push({ key: c.key, weight: restore });
    }
  }
  const split = splitShards(busy, total);
  const rest = splitShards(idle, total);
  const shardOf = new Map<string, number>();
  const loads: ShardLoad[] = Array.from({ length: total }, (_, s) => ({
    shard: s + 1,
    images: 0,
    working: 0,
    ...NO_WORK,
    work: split.mean > 0 ? split.loads[s]! / split.mean : 0,
  }));
  for (const c of components) {
    const shard = split.shardOf.get(c.key) ?? rest.shardOf.get(c.key)!;
    const load = loads[shard - 1]!;
    const w = componentWork.get(c.key)!;
    Object.assign(load, addWork(load, w));
    load.images += c.ids.length;
    if (weight(w) > 0) load.working += c.ids.length;
    for (const id of c.ids) shardOf.set(id, shard);
  }
  const idsOf = new Map(components.map((c) => [c.key, c.ids]));
  const oversized = split.oversized.map((o) => ({
    ids: idsOf.get(o.key)!,
    shard: o.shard,
    work: o.weight / split.mean,
  }));
  return { total, shardOf, loads, oversized, digest: splitDigest(shardOf, total) };
}

/** The ids of shard `index` (from 1), sorted. */
export function shareOf(split: ShardSplit, index: number): string[] {
  const ids: string[] = [];
  for (const [id, shard] of split.shardOf) if (shard === index) ids.push(id);
  return ids.sort(byCodeUnit);
}

function splitDigest(shardOf: ReadonlyMap<string, number>, total: number): string {
  const lines = [...shardOf].map(([id, shard]) => `${id}\t${shard}\n`).sort(byCodeUnit);
  return sha256(`pixlock split 1\n${total}\n${lines.join('')}`);
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
