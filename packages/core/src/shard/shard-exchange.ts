import type { Lockfile } from '../lock/lockfile.js';
import type { ShardLock, ShardMeta } from './shard-lock.js';

/**
 * Where a shard meets the other runners beyond its own disk: the seam the object store plugs
 * into (project/store-exchange.ts). Without a store ({@link localExchange}) a runner sees only
 * its own folder: what another runner did reaches the merge through the CI system's
 * artifacts, and two runners given the same shard cannot see each other (the README says what
 * `merge` catches then).
 */
export interface ShardExchange {
  /**
   * Before the shard plans: what another runner of this very shard (the same `meta`) has
   * already published, its shard lock as the store holds it, so that this one resumes its
   * tasks and keeps its images instead of paying for them again. Undefined when there is none.
   * Reads only (a dry run asks it too).
   */
  recorded(meta: ShardMeta): Promise<ShardLock | undefined>;
  /**
   * Before the shard's first paid request: takes the shard for this runner, so that a second
   * runner given the same shard does not pay too. Throws SHARD_CLAIMED when another runner
   * holds it and has not published.
   */
  claim(meta: ShardMeta): Promise<void>;
  /**
   * Before the shard exits 0: every original and output its share's entries name, then its
   * shard lock (`text`, as written beside the manifest), pushed where the merge runner finds
   * them. Throws naming what could not be pushed; the run then fails.
   */
  publish(shard: { meta: ShardMeta; lock: Lockfile; text: string }): Promise<void>;
  /**
   * After a run that claimed the shard failed before publishing (not one killed): gives the
   * claim up, so that a retry on another runner may take the shard, paying again for what this
   * one made and could not publish. Best effort.
   */
  abandon?(meta: ShardMeta): Promise<void>;
  /**
   * For `merge`: the texts of every shard lock the store holds of the run against this
   * manifest and lock (their digests, as a shard's `meta` has them), instead of the files
   * beside the manifest. Absent: merge reads the files.
   */
  collect?(run: Pick<ShardMeta, 'manifest' | 'lock'>): Promise<{ name: string; text: string }[]>;
}

/** No store: nothing recorded elsewhere, nothing to claim or push (the files are on this disk). */
export const localExchange: ShardExchange = {
  recorded: () => Promise.resolve(undefined),
  claim: () => Promise.resolve(),
  publish: () => Promise.resolve(),
};
