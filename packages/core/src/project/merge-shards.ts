import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { clearJournal } from '../journal/create-journal.js';
import { asDiskError } from '../disk/disk-error.js';
import { journalFiles, projectPaths } from '../disk/project-paths.js';
import { LOCK_MAX_BYTES, NotRegularFileError, readRegularFile } from '../disk/read-regular-file.js';
import { replayJournal } from '../journal/replay-journal.js';
import { acquireRunMutex, checkRunMutex } from '../disk/run-mutex.js';
import { PixlockError } from '../errors.js';
import type { Logger } from '../engine/ports.js';
import { serializeLock } from '../lock/serialize-lock.js';
import { imageIdOf } from '../lock/task-key.js';
import { manifestDigest } from '../shard/manifest-digest.js';
import { mergeShardLocks, type MergedShards, type ShardFile } from '../shard/merge-shard-locks.js';
import type { ShardExchange } from '../shard/shard-exchange.js';
import { parseShardLock } from '../shard/shard-lock.js';
import { SHARD_LOCK_NAME, shardPaths } from '../shard/shard-paths.js';
import { sha256 } from '../util/sha256.js';
import type { RemoteStoreOptions } from '../remote-store/remote-store.js';
import type { StoreEnvironment } from '../remote-store/store-settings.js';
import { CacheSession } from './cache/cache-session.js';
import { shardRunFolder, storeExchange } from './store-exchange.js';
import { readProject, type Project } from './load-project.js';
import { localFiles } from './local-files.js';

/** Options of {@link mergeShards}. */
export interface MergeOptions {
  /** Path of the manifest. */
  config: string;
  /** Shard locks to merge (default: every `pixlock.shard-*-of-*.lock` beside the manifest). */
  files?: readonly string[];
  /** Merge the shards given even when others of the run are missing. */
  partial?: boolean;
  /** Say what would be merged; write nothing. */
  dryRun?: boolean;
  /** Milliseconds to wait for other pixlock processes (shard runs included). */
  waitMs?: number;
  logger?: Logger;
  /**
   * Where shard locks come from when not from files (default: the object store when the
   * manifest names one and no shard lock is beside it; store-exchange.ts).
   */
  exchange?: Pick<ShardExchange, 'collect'>;
  /** Where the store's endpoint and region come from (default `process.env`). */
  env?: StoreEnvironment;
  /** The store's transfer options (retries; a test's clock). */
  storeOptions?: RemoteStoreOptions;
}

/** What {@link mergeShards} did. */
export interface MergeResult {
  lockFile: string;
  /** The shard locks merged, by shard. */
  shards: { index: number; total: number; file: string; images: number }[];
  /** Images whose entry changed. */
  changed: string[];
  /** The lock already held the shards' results (a merge run again): nothing rewritten. */
  alreadyMerged: boolean;
  /** The manifest was edited since the shards ran (see merge-shard-locks.ts). */
  manifestChanged: boolean;
  dryRun: boolean;
}

/**
 * `pixlock merge`: folds the shard locks of one run into `pixlock.lock` (merge-shard-locks.ts)
 * and removes them. Reads and checks everything first, so a refusal (SHARDS_MISMATCH, exit 2,
 * naming the files) writes nothing; then works under the project's run mutex, which waits for
 * shard runs still working in the folder. A shard killed mid-run left its journal beside its
 * lock: it is replayed in, so a task it paid for is kept (as pending, resumed by the next run).
 * A journal of a whole run that died is folded in too, as every command does.
 */
export async function mergeShards(options: MergeOptions): Promise<MergeResult> {
  // Every project read, so that the store connections they opened are closed.
  const opened: Project[] = [];
  try {
    return await mergeOnce(options, opened);
  } catch (error) {
    throw asDiskError(error) ?? error;
  } finally {
    for (const project of opened) project.stores?.close();
  }
}

async function mergeOnce(options: MergeOptions, opened: Project[]): Promise<MergeResult> {
  const paths = projectPaths(options.config);
  checkRunMutex(paths.runLock);
  const first = await readMerge(options, opened);
  if (options.dryRun) return result(first.project, first.merged, true);
  const release = await acquireRunMutex(paths.runLock, path.resolve(options.config), {
    ...(options.waitMs !== undefined && { waitMs: options.waitMs }),
    onWait: () => options.logger?.warn('waiting for other pixlock processes on this manifest...'),
  });
  try {
    // Read again under the mutex: a shard that was still running has finished its lock.
    const { project, merged } = await readMerge(options, opened);
    const journaled = project.unsettledCreates + (project.journaledChanges ?? 0) > 0;
    if (!merged.alreadyMerged || journaled)
      await localFiles(paths).lock.writeLock(serializeLock(merged.lock));
    for (const f of journalFiles(paths)) await clearJournal(paths.dir, f);
    // The lock holds everything now: the shard files and their journals go.
    for (const f of merged.files) {
      // Those collected from the store stay there (keyed by this run's manifest and lock).
      if (f.fromStore) continue;
      if (path.dirname(path.resolve(f.file)) === paths.dir) {
        const own = shardPaths(paths.dir, f.meta);
        for (const j of [own.journalOld, own.journal]) await clearJournal(paths.dir, j);
      }
      await rm(f.file, { force: true });
    }
    return result(project, merged, false);
  } finally {
    await release();
  }
}

async function readMerge(
  options: MergeOptions,
  opened: Project[],
): Promise<{ project: Project; merged: MergedShards & { files: (ShardFile & Stored)[] } }> {
  // Read as every command reads, caching nothing: a refused merge leaves the tree as it was.
  const paths = projectPaths(options.config);
  const project = await readProject(paths, new CacheSession(paths.cacheDir), {
    ...(options.env && { storeEnv: options.env }),
    ...(options.storeOptions && { storeOptions: options.storeOptions }),
  });
  opened.push(project);
  const run = {
    manifest: await manifestDigest(project.manifest),
    lock: sha256(serializeLock(project.lock)),
  };
  const files = await shardFiles(project, options, run);
  const merged = mergeShardLocks(
    {
      lock: project.lock,
      lockDigest: run.lock,
      manifestDigest: run.manifest,
      ids: new Set(project.manifest.images.map((i) => i.id)),
    },
    files,
    { ...(options.partial !== undefined && { partial: options.partial }) },
  );
  const fromStore = new Set(files.filter((f) => f.fromStore).map((f) => f.file));
  return {
    project,
    merged: {
      ...merged,
      files: merged.files.map((f) => ({ ...f, fromStore: fromStore.has(f.file) })),
    },
  };
}

/** Whether a shard lock was collected from the store rather than read from a file. */
interface Stored {
  fromStore: boolean;
}

/**
 * Every shard lock to merge, read and checked as hostile input, journals replayed: the files
 * given, else those beside the manifest (CI artifacts), else, with a store, those its shards
 * published there for this manifest and lock.
 */
async function shardFiles(
  project: Project,
  options: MergeOptions,
  run: { manifest: string; lock: string },
): Promise<(ShardFile & Stored)[]> {
  const { dir } = project.paths;
  const { outDir } = project.manifest;
  const names =
    options.files ??
    (await readdir(dir))
      .filter((name) => SHARD_LOCK_NAME.test(name))
      .sort()
      .map((name) => path.join(dir, name));
  const exchange =
    options.exchange ?? (project.stores && !options.files ? storeExchange(project) : undefined);
  if (exchange?.collect && (options.exchange || names.length === 0)) {
    const collected = await exchange.collect(run);
    if (collected.length === 0 && project.stores)
      throw new PixlockError(
        'SHARDS_MISMATCH',
        `no shard locks to merge: none beside ${project.paths.manifestFile}, and none published in ${project.stores.url}/${shardRunFolder(run)} ` +
          'for this manifest and pixlock.lock (were the shards run on this very commit, and did they finish?)',
      );
    return collected.map(({ name, text }) => ({
      ...parseShardLock(text, name, outDir),
      file: name,
      text,
      fromStore: true,
    }));
  }
  const files: (ShardFile & Stored)[] = [];
  for (const file of names) {
    let text: string;
    try {
      text = (await readRegularFile(file, { maxBytes: LOCK_MAX_BYTES })).toString('utf8');
    } catch (error) {
      if (error instanceof NotRegularFileError)
        throw new PixlockError('LOCK_INVALID', `the shard lock ${error.message}`, { cause: error });
      throw error;
    }
    const shard = parseShardLock(text, file, outDir);
    if (path.dirname(path.resolve(file)) === dir) {
      // Its run was killed after writing it: what its journal holds is part of it.
      const own = shardPaths(dir, shard.meta);
      await replayJournal(shard.lock, [own.journalOld, own.journal], outDir);
      const share = new Set(shard.meta.images);
      for (const key of [...Object.keys(shard.lock.images), ...Object.keys(shard.lock.pending)])
        if (!share.has(imageIdOf(key)))
          throw new PixlockError(
            'SHARDS_MISMATCH',
            `cannot merge: ${own.journal} records image "${imageIdOf(key)}", which is not one of ${file}'s images`,
          );
    }
    files.push({ ...shard, file, text, fromStore: false });
  }
  return files;
}

function result(project: Project, merged: MergedShards, dryRun: boolean): MergeResult {
  return {
    lockFile: project.paths.lockFile,
    shards: merged.files.map((f) => ({
      index: f.meta.index,
      total: f.meta.total,
      file: f.file,
      images: f.meta.images.length,
    })),
    changed: merged.changed,
    alreadyMerged: merged.alreadyMerged,
    manifestChanged: merged.manifestChanged,
    dryRun,
  };
}
