import { PixlockError } from '../errors.js';
import type { Lockfile, PendingTask } from '../lock/lockfile.js';
import { serializeLock } from '../lock/serialize-lock.js';
import { dropImagePending, imageIdOf } from '../lock/task-key.js';
import { plural } from '../util/plural.js';
import type { ShardLock } from './shard-lock.js';
import { SHARD_LOCK_NAME } from './shard-paths.js';

/** One shard lock to merge: where it was read from, and what it holds. */
export interface ShardFile extends ShardLock {
  /** Its path, as messages name it. */
  file: string;
  /** Its text: two files of one shard are the same run's only when they are the same bytes. */
  text: string;
}

/** What {@link mergeShardLocks} merges into. */
export interface MergeBase {
  /** The lock as it is now (journal replayed). */
  lock: Lockfile;
  /** Its digest, as a shard records the one it started from (sha256 of serializeLock). */
  lockDigest: string;
  /** The manifest's digest now (manifest-digest.ts). */
  manifestDigest: string;
  /** Every image id of the manifest. */
  ids: ReadonlySet<string>;
}

/** What {@link mergeShardLocks} made. */
export interface MergedShards {
  lock: Lockfile;
  /** The files merged, one per shard (a file given twice with the same bytes counts once). */
  files: ShardFile[];
  /** Images whose entry the merge set, changed or removed. */
  changed: string[];
  /** The lock already holds exactly what the shards hold (a merge run twice): nothing to write. */
  alreadyMerged: boolean;
  /**
   * The manifest is not the one the shards ran against (edited since): their entries are
   * merged as made, and the next plan says which are out of date.
   */
  manifestChanged: boolean;
}

/**
 * Folds shard locks into the lock they started from: each shard's images (its whole share,
 * with work or not) take the entries and pending tasks it recorded, and every other image
 * keeps its own. The result is what one run with the same results would have left, byte for
 * byte once serialized: the same entries, and the lock's order is by id whatever the order of
 * arrival. Pure.
 *
 * Refused (SHARDS_MISMATCH, naming the files) when the shards are not the n shards of one
 * run: a shard missing (unless `partial`), totals, manifest digests, splits or starting locks
 * that disagree, one shard given twice with different contents
 * (two runners ran it: see the README), two shards claiming one image, or an image the manifest
 * does not have. When the lock changed since the shards started, they are merged only if the
 * lock already holds exactly their results (this very merge, interrupted after writing it).
 */
export function mergeShardLocks(
  base: MergeBase,
  given: readonly ShardFile[],
  options: { partial?: boolean } = {},
): MergedShards {
  if (given.length === 0) throw mismatch('no shard locks to merge (pixlock.shard-<i>-of-<n>.lock)');
  for (const f of given) {
    const name = SHARD_LOCK_NAME.exec(f.file.split(/[\\/]/).pop() ?? '');
    if (name && (Number(name[1]) !== f.meta.index || Number(name[2]) !== f.meta.total))
      throw mismatch(
        `${f.file} holds shard ${f.meta.index}/${f.meta.total}, not the one its name says: was it renamed?`,
      );
  }
  const first = given[0]!;
  const disagree = (what: string, value: (f: ShardFile) => string) => {
    const groups = new Map<string, string[]>();
    for (const f of given) groups.set(value(f), [...(groups.get(value(f)) ?? []), f.file]);
    if (groups.size > 1)
      throw mismatch(
        `the shards disagree on ${what}: ${[...groups].map(([v, files]) => `${v} (${files.join(', ')})`).join('; ')}`,
      );
  };
  disagree('the number of shards', (f) => `of ${f.meta.total}`);
  disagree('the manifest they ran against', (f) => `manifest ${f.meta.manifest.slice(0, 12)}`);
  disagree('the lock they started from', (f) => `lock ${f.meta.lock.slice(0, 12)}`);
  disagree('the split', (f) => `split ${f.meta.split.slice(0, 12)}`);
  // Edited since the shards ran (locally, before merging): what they recorded is still what
  // was made, as after any run followed by an edit, and the next plan says what is stale.
  const manifestChanged = first.meta.manifest !== base.manifestDigest;
  // One file per shard; the same shard twice only as the very same bytes (one artifact seen
  // twice). Two runners given one shard write different bytes (times, task ids).
  const byIndex = new Map<number, ShardFile>();
  for (const f of given) {
    const seen = byIndex.get(f.meta.index);
    if (!seen) byIndex.set(f.meta.index, f);
    else if (seen.text !== f.text)
      throw mismatch(
        `shard ${f.meta.index}/${f.meta.total} was run twice and recorded differently: ${seen.file} and ${f.file}. ` +
          'Two runners were given the same shard; both may have paid for its images. Keep one of the two files (and its outputs), then merge',
      );
  }
  const total = first.meta.total;
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0 && !options.partial)
    throw mismatch(
      `${plural(missing.length, 'shard is', 'shards are')} missing: ${missing.map((i) => `${i}/${total}`).join(', ')} ` +
        `(merging ${[...byIndex.values()].map((f) => f.file).join(', ')}); run ${missing.length === 1 ? 'it' : 'them'}, or merge --partial to fold in only these`,
    );
  const files = [...byIndex.values()].sort((a, b) => a.meta.index - b.meta.index);
  const owner = new Map<string, ShardFile>();
  for (const f of files)
    for (const id of f.meta.images) {
      const other = owner.get(id);
      if (other) throw mismatch(`image "${id}" is in two shards: ${other.file} and ${f.file}`);
      if (!base.ids.has(id))
        throw mismatch(`${f.file} names image "${id}", which the manifest does not have`);
      owner.set(id, f);
    }
  const lock: Lockfile = {
    lockfileVersion: base.lock.lockfileVersion,
    images: { ...base.lock.images },
    pending: { ...base.lock.pending },
  };
  const changed: string[] = [];
  const basePending = pendingById(base.lock);
  for (const f of files) {
    const shardPending = pendingById(f.lock);
    for (const id of f.meta.images) {
      const was = JSON.stringify([base.lock.images[id], basePending.get(id)]);
      delete lock.images[id];
      dropImagePending(lock.pending, id);
      if (f.lock.images[id]) lock.images[id] = f.lock.images[id];
      for (const [key, task] of shardPending.get(id) ?? []) lock.pending[key] = task;
      if (JSON.stringify([lock.images[id], shardPending.get(id)]) !== was) changed.push(id);
    }
  }
  if (first.meta.lock !== base.lockDigest) {
    // Started from another lock. Only a merge interrupted after it wrote pixlock.lock gets
    // here with nothing to change; anything else would overwrite what happened since.
    if (changed.length === 0 && serializeLock(lock) === serializeLock(base.lock))
      return { lock, files, changed, alreadyMerged: true, manifestChanged };
    throw mismatch(
      `pixlock.lock changed since the shards started (${files.map((f) => f.file).join(', ')}): their work was planned against another lock. ` +
        'Restore the lock they started from and merge, or run the shards again',
    );
  }
  return { lock, files, changed, alreadyMerged: false, manifestChanged };
}

/** A lock's pending tasks by image id, each image's sorted by key. */
function pendingById(lock: Lockfile): Map<string, [string, PendingTask][]> {
  const byId = new Map<string, [string, PendingTask][]>();
  for (const key of Object.keys(lock.pending).sort()) {
    const id = imageIdOf(key);
    byId.set(id, [...(byId.get(id) ?? []), [key, lock.pending[key]!]]);
  }
  return byId;
}

function mismatch(message: string): PixlockError {
  return new PixlockError('SHARDS_MISMATCH', `cannot merge: ${message}`);
}
