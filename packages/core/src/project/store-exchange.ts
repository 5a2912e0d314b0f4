import { PixlockError } from '../errors.js';
import { systemClock, type Clock } from '../engine/ports.js';
import { lockObjects, objectId } from '../engine/stored-objects.js';
import { PushJournal } from '../journal/push-journal.js';
import type { ShardExchange } from '../shard/shard-exchange.js';
import { parseShardLock, type ShardMeta } from '../shard/shard-lock.js';
import { SHARD_LOCK_NAME, shardLockName, shardPaths } from '../shard/shard-paths.js';
import { sha256 } from '../util/sha256.js';
import type { Project } from './load-project.js';
import { CLAIM_SETTLE_MS, claimShard, releaseOwnClaim } from './shard-claim.js';

/** Options of {@link storeExchange}. */
export interface StoreExchangeOptions {
  /** Milliseconds between writing a claim and reading it back (default {@link CLAIM_SETTLE_MS}). */
  claimSettleMs?: number;
  clock?: Pick<Clock, 'now' | 'sleep'>;
}

/**
 * Where a run's shard records are kept: one folder per manifest and starting lock (their
 * digests), so the shards of one run find each other and never those of another.
 */
export function shardRunFolder(run: Pick<ShardMeta, 'manifest' | 'lock'>): string {
  return `shards/${sha256(`${run.manifest}\n${run.lock}\n`)}/`;
}

/**
 * The shards' exchange over the project's object store (its manifest names one): a shard's
 * lock is published at `shards/<run>/pixlock.shard-<i>-of-<n>.lock` once every original and
 * output it names is in the store, a runner claims its shard at `shards/<run>/shard-<i>-of-<n>.claim`
 * before it pays (shard-claim.ts), and `merge` collects the published locks.
 */
export function storeExchange(project: Project, options: StoreExchangeOptions = {}): ShardExchange {
  const stores = project.stores!;
  const { dir } = project.paths;
  const { outDir } = project.manifest;
  // The claims this process took (claim), so that abandon gives up only those.
  const claimedHere = new Set<string>();
  const url = (p: string) => `${stores.url}/${p}`;
  const lockPath = (meta: ShardMeta) => shardRunFolder(meta) + shardLockName(meta);
  const claimPath = (meta: ShardMeta) =>
    `${shardRunFolder(meta)}shard-${meta.index}-of-${meta.total}.claim`;
  return {
    async recorded(meta) {
      const at = lockPath(meta);
      const text = await (await stores.remote()).records.read(at);
      return text === undefined ? undefined : parseShardLock(text, url(at), outDir);
    },
    async claim(meta) {
      const at = claimPath(meta);
      await claimShard({
        remote: await stores.remote(),
        path: at,
        url: url(at),
        spec: meta,
        dir,
        runnerFile: shardPaths(dir, meta).runner,
        clock: options.clock ?? systemClock,
        settleMs: options.claimSettleMs ?? CLAIM_SETTLE_MS,
      });
      claimedHere.add(at);
    },
    async publish({ meta, lock, text }) {
      const objects = lockObjects(lock, stores.outputs, meta.images);
      const journal = new PushJournal(shardPaths(dir, meta).pushJournal);
      let failed: { id: string; file: string; message: string }[];
      try {
        const report = await stores.push(objects);
        failed = report.failed.map((f) => ({
          id: objectId(f.object),
          file: f.object.file,
          message: `${f.code}: ${f.message}`,
        }));
      } catch (error) {
        // The existence check itself failed: none of it is known to be there.
        failed = objects.map((o) => ({
          id: objectId(o),
          file: o.file,
          message: error instanceof Error ? error.message : String(error),
        }));
      }
      // What is still unpushed is pushed first by the next run of the shard (store-run.ts).
      await journal.keepOnly(failed.map((f) => f.id));
      if (failed.length > 0) {
        const shown = failed.slice(0, 10).map((f) => `\n  ${f.file} (${f.id}): ${f.message}`);
        throw new PixlockError(
          'STORE_UNPUSHED',
          `shard ${meta.index}/${meta.total}: ${failed.length} of ${objects.length} objects its lock names could not be pushed to ${stores.url}, ` +
            `so its lock was not published (they are kept here; run the shard again to push them, nothing is paid again):${shown.join('')}` +
            (failed.length > 10 ? `\n  and ${failed.length - 10} more` : ''),
          { details: { objects: failed.map((f) => f.id) } },
        );
      }
      const remote = await stores.remote();
      await remote.records.write(lockPath(meta), text);
      // The shard is done: whoever runs it next may take it (and finds this lock first).
      const at = claimPath(meta);
      await releaseOwnClaim({ remote, path: at, dir, runnerFile: shardPaths(dir, meta).runner });
    },
    async abandon(meta) {
      // Only a claim this process took: a rerun that fails before claiming keeps the one an
      // earlier run of this runner holds (its tasks are its to resume).
      const at = claimPath(meta);
      if (!claimedHere.delete(at)) return;
      await releaseOwnClaim({
        remote: await stores.remote(),
        path: at,
        dir,
        runnerFile: shardPaths(dir, meta).runner,
      });
    },
    async collect(run) {
      const remote = await stores.remote();
      const folder = shardRunFolder(run);
      const names = (await remote.records.list(folder))
        .map((p) => p.slice(folder.length))
        .filter((name) => SHARD_LOCK_NAME.test(name))
        .sort();
      const out: { name: string; text: string }[] = [];
      for (const name of names) {
        const text = await remote.records.read(folder + name);
        if (text !== undefined) out.push({ name: url(folder + name), text });
      }
      return out;
    },
  };
}
