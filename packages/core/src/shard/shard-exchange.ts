import type { Lockfile } from '../lock/lockfile.js';
import type { ShardLock, ShardMeta } from './shard-lock.js';

/**
 * Where a shard meets the other runners beyond its own disk: the seam the object store (the
 * store issue) plugs into. Without a store ({@link localExchange}) a runner sees only its own
 * folder: what another runner did reaches the merge through the CI system's artifacts, and
 * two runners given the same shard cannot see each other (the README says what `merge`
 * catches then).
 */
export interface ShardExchange {
  /**
   * Before the shard plans: what another runner of this very shard (the same `meta`) has
   * already recorded, say its shard lock as the store holds it, so that this one resumes its
   * tasks and keeps its images instead of paying for them again. Undefined when there is none.
   * A store implements it as a conditional put of a claim beside the shard's lock.
   */
  claim(meta: ShardMeta): Promise<ShardLock | undefined>;
  /**
   * Before the shard exits 0: every original and output its share's entries name, then its
   * shard lock (`text`, as written beside the manifest), pushed where the merge runner finds
   * them. Throws naming what could not be pushed; the run then fails.
   */
  publish(shard: { meta: ShardMeta; lock: Lockfile; text: string }): Promise<void>;
  /**
   * For `merge`: the texts of every shard lock of the run the store holds, instead of the
   * files beside the manifest. Absent: merge reads the files.
   */
  collect?(manifestDigest: string): Promise<{ name: string; text: string }[]>;
}

/** No store: nothing to claim, nothing to push (the files are on this runner's disk). */
export const localExchange: ShardExchange = {
  claim: () => Promise.resolve(undefined),
  publish: () => Promise.resolve(),
};
