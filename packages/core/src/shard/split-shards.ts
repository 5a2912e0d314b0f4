/** Something to place on a shard: a component of the image graph, with its work. */
export interface SplitItem {
  /** Stable identity: where the item goes depends on it (and on the loads), not on a position. */
  key: string;
  /** Estimated work, ≥ 0 (shard-work.ts); items of weight 0 stay on their home shard. */
  weight: number;
}

/** Where every item goes, and how even the result is. */
export interface Split {
  total: number;
  /** Key → shard, from 1. */
  shardOf: Map<string, number>;
  /** Work per shard (index 0 is shard 1). */
  loads: number[];
  /**
   * The work every shard should have: the mean over the shards not holding an oversized
   * item (the band is measured against it).
   */
  mean: number;
  /** Items heavier alone than the band allows, each on a shard of its own (shard, from 1). */
  oversized: { key: string; shard: number; weight: number }[];
  /** Items placed away from their home shard to even the loads. */
  moved: number;
}

/**
 * How far from the mean the split aims to keep each shard: within 15%, so that the promise
 * made for it (20%, see the README) has room for items that do not fit exactly.
 */
export const SPLIT_TOLERANCE = 0.15;

/**
 * Splits items across `total` shards: stable where it can be, balanced where it must be.
 *
 * Every item has a home shard by rendezvous hashing of its key (the highest of `total`
 * hashes of key and shard): a function of the key alone, so adding or removing an item
 * moves no other item's home. Pure hashing balances only statistically (1,000 images on 16
 * shards land up to ±40% off the mean), so loads are then evened, moving as little as it
 * takes:
 *
 * 1. An item heavier alone than the band is pinned to a shard of its own (its highest-ranked
 *    free shard) and the others are balanced over the rest.
 * 2. Each shard keeps its home items in a fixed order (a hash of the key) while they fit
 *    under `mean × (1 + tolerance)`; the rest of them spill. Which items spill depends only
 *    on the shard's own items and the mean, so an item added elsewhere changes nothing here
 *    but the mean.
 * 3. Spilled items, heaviest first, go to the first shard in their own ranking that is under
 *    `mean × (1 − tolerance)` and has room, else the first with room.
 * 4. A shard still under the band takes home items from shards above the mean, in the
 *    fixed order, lowest first, while the giver stays in the band.
 *
 * So an item leaves its home only when its home shard is over the band (it was among the
 * last there) or another shard is under it. Pure: no clock, no randomness.
 */
export function splitShards(
  items: readonly SplitItem[],
  total: number,
  tolerance = SPLIT_TOLERANCE,
): Split {
  if (!Number.isInteger(total) || total < 1)
    throw new TypeError(`splitShards: total must be a positive integer, got ${total}`);
  if (!(tolerance >= 0 && tolerance < 1))
    throw new TypeError(`splitShards: tolerance must be in [0, 1), got ${tolerance}`);
  const keys = new Set<string>();
  for (const item of items) {
    if (!(item.weight >= 0) || !Number.isFinite(item.weight))
      throw new TypeError(`splitShards: weight of "${item.key}" must be finite and ≥ 0`);
    if (keys.has(item.key)) throw new TypeError(`splitShards: key "${item.key}" given twice`);
    keys.add(item.key);
  }
  const placed = new Map<string, number>();
  const loads = new Array<number>(total).fill(0);
  // In key order, so that sums (floating point) and ties come out the same however the items
  // are listed: every runner must get the same split.
  const hashed = items.map(hashItem).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  // Weightless items do no work: they stay home, whatever the loads.
  const all = Array.from({ length: total }, (_, s) => s);
  for (const item of hashed) if (item.weight === 0) placed.set(item.key, best(item, all));
  const work = hashed.filter((i) => i.weight > 0);
  // 1. Oversized items, heaviest first, each on a shard of its own.
  const free = new Set(all);
  let rest = work.reduce((sum, i) => sum + i.weight, 0);
  const oversized: Split['oversized'] = [];
  const pinned = new Set<string>();
  for (const item of [...work].sort((a, b) => heaviestFirst(a, b) || byPriority(a, b))) {
    if (free.size <= 1 || item.weight <= (rest / free.size) * (1 + tolerance)) break;
    const shard = ranking(item, all).find((s) => free.has(s))!;
    free.delete(shard);
    rest -= item.weight;
    loads[shard] = item.weight;
    placed.set(item.key, shard);
    pinned.add(item.key);
    oversized.push({ key: item.key, shard: shard + 1, weight: item.weight });
  }
  const shards = [...free];
  const mean = rest / shards.length;
  const high = mean * (1 + tolerance);
  const low = mean * (1 - tolerance);
  const homeOf = new Map<string, number>();
  const homes = new Map<number, HashedItem[]>(shards.map((s) => [s, []]));
  for (const item of work) {
    if (pinned.has(item.key)) continue;
    const home = best(item, shards);
    homeOf.set(item.key, home);
    homes.get(home)!.push(item);
  }
  // 2. Each shard keeps the first of its home items (in the fixed order) that fit.
  const spilled: HashedItem[] = [];
  for (const [shard, mine] of homes) {
    mine.sort(byPriority);
    let full = false;
    for (const item of mine) {
      if (!full && (loads[shard] === 0 || loads[shard]! + item.weight <= high)) {
        loads[shard]! += item.weight;
        placed.set(item.key, shard);
      } else {
        full = true;
        spilled.push(item);
      }
    }
  }
  // 3. Spilled items to a shard under the band (their own ranking decides which).
  spilled.sort((a, b) => heaviestFirst(a, b) || byPriority(a, b));
  for (const item of spilled) {
    const ranked = ranking(item, shards);
    const fits = (s: number) => loads[s]! + item.weight <= high;
    const shard =
      ranked.find((s) => loads[s]! < low && fits(s)) ??
      ranked.find(fits) ??
      shards.reduce((least, s) => (loads[s]! < loads[least]! ? s : least));
    loads[shard]! += item.weight;
    placed.set(item.key, shard);
  }
  // 4. Shards still under the band take home items from shards above the mean.
  const under = () => shards.some((s) => loads[s]! < low);
  for (let pass = 0; pass < 4 && under(); pass++) {
    const stayed = work.filter((i) => homeOf.has(i.key) && placed.get(i.key) === homeOf.get(i.key));
    stayed.sort((a, b) => byPriority(b, a));
    let gave = false;
    for (const item of stayed) {
      const from = placed.get(item.key)!;
      if (loads[from]! <= mean || loads[from]! - item.weight < low) continue;
      if (!under()) break;
      const to = ranking(item, shards).find(
        (s) => loads[s]! < low && loads[s]! + item.weight <= high,
      );
      if (to === undefined) continue;
      loads[from]! -= item.weight;
      loads[to]! += item.weight;
      placed.set(item.key, to);
      gave = true;
    }
    if (!gave) break;
  }
  const shardOf = new Map<string, number>();
  for (const [key, s] of placed) shardOf.set(key, s + 1);
  let moved = 0;
  for (const [key, home] of homeOf) if (placed.get(key) !== home) moved++;
  return { total, shardOf, loads, mean, oversized, moved };
}

interface HashedItem {
  key: string;
  weight: number;
  /** The fixed order of step 2: one 32-bit hash of the key. */
  priority: number;
  /** Seed of the item's shard ranking: another, independent one. */
  seed: number;
}

/**
 * Two independent 32-bit hashes of the key (two lanes of multiply-xorshift over its UTF-16
 * code units, cyrb53's construction). Not cryptographic, and need not be: a key only has to
 * land the same way on every runner and every version of Node, which sha256 would too at ten
 * times the cost (70 ms for 10,000 keys, most of a split).
 */
function hashItem(item: SplitItem): HashedItem {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < item.key.length; i++) {
    const c = item.key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return { key: item.key, weight: item.weight, priority: h1 >>> 0, seed: h2 >>> 0 };
}

/**
 * The item's ranking of `shards` (rendezvous hashing): by a hash of (key, shard), highest
 * first. Adding a shard changes an item's first choice only when the new shard wins, for 1/n
 * of the items.
 */
function ranking(item: HashedItem, shards: readonly number[]): number[] {
  const score = (s: number) => mix(item.seed, s);
  return [...shards].sort((a, b) => score(b) - score(a) || a - b);
}

/** The first of {@link ranking} without sorting: the item's home among `shards`. */
function best(item: HashedItem, shards: readonly number[]): number {
  let top = shards[0]!;
  let topScore = mix(item.seed, top);
  for (let k = 1; k < shards.length; k++) {
    const score = mix(item.seed, shards[k]!);
    if (score > topScore || (score === topScore && shards[k]! < top)) {
      top = shards[k]!;
      topScore = score;
    }
  }
  return top;
}

/** A 32-bit integer hash of two numbers (murmur3's finaliser over their combination). */
function mix(seed: number, shard: number): number {
  let x = (seed ^ Math.imul(shard + 0x9e3779b9, 0x85ebca6b)) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

function byPriority(a: HashedItem, b: HashedItem): number {
  return b.priority - a.priority || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

function heaviestFirst(a: SplitItem, b: SplitItem): number {
  return b.weight - a.weight;
}
