import { readdir } from 'node:fs/promises';
import { afterEach } from 'vitest';
import { parseShardLock } from '../shard/shard-lock.js';
import { tempProject, type TempProject } from './temp-project.js';
import { storeProject, type StoreProject } from './store-project.js';

/**
 * Runners of one store project, each a checkout of its own: a store project and the runners'
 * folders made in a test are removed after it (registers an afterEach).
 */
export function storeRunners() {
  const state: { s?: StoreProject; runners: TempProject[] } = { runners: [] };
  afterEach(async () => {
    await state.s?.close();
    state.s = undefined;
    await Promise.all(state.runners.map((r) => r.cleanup()));
    state.runners = [];
  });
  return {
    /** A store project (SMALL_MANIFEST with a store), closed after the test. */
    async project(): Promise<StoreProject> {
      state.s = await storeProject();
      return state.s;
    },
    /** A runner's checkout before any run: the manifest alone (no lock yet). */
    async runner(s: StoreProject): Promise<TempProject> {
      const p = await tempProject({ 'pixlock.yaml': await s.p.read('pixlock.yaml') });
      state.runners.push(p);
      return p;
    },
  };
}

/**
 * Where no second runner races: the claim's settle delay is slept at once, and is long enough
 * that no claim counts as slow.
 */
export const SETTLE = {
  claimSettleMs: 60_000,
  claimClock: { now: () => new Date(), sleep: () => Promise.resolve() },
};

/**
 * Two runners racing: real time for the other's claim to land before it is read back, with
 * room for a loaded CI machine (a runner slower than this between asking and writing gives up).
 */
export const RACE = { claimSettleMs: 2500 };

/** A shard lock's text, parsed (outDir `generated`, as SMALL_MANIFEST's). */
export function parseShardLockText(text: string) {
  return parseShardLock(text, 'pixlock.shard.lock', 'generated');
}

/** The shard lock files in a folder, sorted. */
export async function shardLocks(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.startsWith('pixlock.shard-')).sort();
}

/** The shard records the store holds below `shards/` (their names in the run's folder). */
export async function records(s: StoreProject): Promise<string[]> {
  const folders = await s.h.store.records.list('shards/');
  return folders.map((p) => p.replace(/^shards\/[0-9a-f]{64}\//, '')).sort();
}
