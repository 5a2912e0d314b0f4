import { rm } from 'node:fs/promises';
import path from 'node:path';
import { checkRunMutex, acquireShardRunMutex } from '../disk/run-mutex.js';
import { projectPaths, TMP_DIR } from '../disk/project-paths.js';
import { clearJournal } from '../journal/create-journal.js';
import { asDiskError } from '../disk/disk-error.js';
import { LockJournal } from '../journal/lock-journal.js';
import { reserveBytes, SpaceReserve } from '../disk/space-reserve.js';
import { projectTempPath } from '../disk/project-temp-path.js';
import { writeFileAtomically } from '../disk/write-file-atomically.js';
import type { Clock, ProjectFiles } from '../engine/ports.js';
import { SafeFolders } from '../disk/safe-folders.js';
import { sharpCodec } from '../codec/sharp-codec.js';
import { runPlan } from '../engine/run-plan.js';
import type { RunResult } from '../engine/run-types.js';
import type { Lockfile } from '../lock/lockfile.js';
import { checkOnlyPatterns } from '../plan/check-only-patterns.js';
import { PROVIDER_ACTIONS, type Plan } from '../plan/plan.js';
import { createProvider } from '../providers/create-provider.js';
import { localExchange, type ShardExchange } from '../shard/shard-exchange.js';
import { serializeShardLock, withShardBlock } from '../shard/shard-lock.js';
import { shardPaths } from '../shard/shard-paths.js';
import { sharedAccountLimit } from '../shard/shared-account-limit.js';
import { formatShardSpec, type ShardSpec } from '../shard/shard-spec.js';
import { PixlockError } from '../errors.js';
import { serializeLock } from '../lock/serialize-lock.js';
import type { ShardSplit } from '../shard/split-plan.js';
import { CacheSession } from './cache/cache-session.js';
import { storeExchange } from './store-exchange.js';
import { prepareStoreRun } from './store-run.js';
import { runOptions, unusedProvider, type GenerateOptions } from './generate.js';
import { readProject, type Project } from './load-project.js';
import { observeOutputs, type ObservedFiles } from './observe-outputs.js';
import { projectFiles } from './project-store.js';
import type { ProjectStores } from './project-stores.js';
import { readShardRun, type ShardRun } from './shard-run.js';

/** Options of {@link generateShard}: those of `generate`, and which shard. */
export interface GenerateShardOptions extends GenerateOptions {
  shard: ShardSpec;
  /**
   * Where shards meet beyond this disk (default: the object store when the manifest names
   * one, store-exchange.ts; else nowhere).
   */
  exchange?: ShardExchange;
  /**
   * With a store: milliseconds between writing the shard's claim and reading it back
   * (shard-claim.ts), slept on `claimClock` (default `clock`, else the system's).
   */
  claimSettleMs?: number;
  claimClock?: Pick<Clock, 'now' | 'sleep'>;
}

/** What {@link generateShard} did. */
export interface GenerateShardResult {
  project: Project;
  /** The plan of the shard's images only. */
  plan: Plan;
  /** Undefined for a dry run. */
  run?: RunResult;
  /** The shard: its split, its share and its lock file. */
  shard: { spec: ShardSpec; split: ShardSplit; images: string[]; lockFile: string };
}

/**
 * `generate --shard i/n`: generates one shard's share of the manifest (shard-run.ts) and
 * records it in `pixlock.shard-<i>-of-<n>.lock` beside the manifest; `pixlock.lock` is never
 * written (`pixlock merge` folds the shards into it).
 *
 * Like `generate` it reads and checks everything before it writes anything (bad input writes
 * nothing), then works under a mutex: the shard's own, so that shards of one manifest can run
 * in one folder side by side while a whole run waits for them (run-mutex.ts). The shard's
 * journal, reserve and lock are its own, so a shard killed with kill -9 and run again replays
 * its own tasks and pays for none twice. Its lock is written before any task is created, so a
 * journal never outlives the record of what its run ran against. A shard with nothing to do
 * still writes its lock: `merge` needs every shard's.
 */
export async function generateShard(options: GenerateShardOptions): Promise<GenerateShardResult> {
  // The store connections each read opened, closed at the end. The stores only: holding the
  // projects would keep the first read's manifest and lock alive for the whole run.
  const opened: ProjectStores[] = [];
  return generateShardOnce(options, opened)
    .catch((error: unknown) => {
      throw asDiskError(error) ?? error;
    })
    .finally(() => {
      for (const stores of opened) stores.close();
    });
}

async function generateShardOnce(
  options: GenerateShardOptions,
  opened: ProjectStores[],
): Promise<GenerateShardResult> {
  // Where everything is, once: every read and write below is handed these paths.
  const paths = projectPaths(options.config);
  const originals = options.files?.originals;
  // What the shard would cache, staged in one session for both reads (the second finds the
  // first's hashes) and written only once the shard has succeeded (a refusal writes nothing).
  const cache = new CacheSession(paths.cacheDir);
  // One snapshot of the project, its shard read and planned.
  const read = async () => {
    const project = await readProject(paths, cache, {
      ...(originals && { originals }),
      ...(options.env && { storeEnv: options.env }),
      ...(options.storeOptions && { storeOptions: options.storeOptions }),
    });
    if (project.stores) opened.push(project.stores);
    checkOnlyPatterns(project.manifest, options.only);
    // With a store, the shards meet there: claims, published locks (store-exchange.ts).
    const exchange =
      options.exchange ??
      (project.stores
        ? storeExchange(project, {
            ...(options.claimSettleMs !== undefined && { claimSettleMs: options.claimSettleMs }),
            ...((options.claimClock ?? options.clock) && {
              clock: options.claimClock ?? options.clock,
            }),
          })
        : localExchange);
    let files: ObservedFiles | undefined;
    const look = async (lock: Lockfile) =>
      (files = await observeOutputs(paths, project.manifest, lock, cache));
    const shard = await readShardRun(project, options.shard, look, options, {
      exchange,
      ...(options.resume && { resume: options.resume }),
    });
    return { project, references: files!.references, shard, cache, exchange };
  };
  if (options.dryRun) {
    const { project, shard } = await read();
    return { project, plan: shard.plan, shard: described(shard) };
  }
  const own = shardPaths(paths.dir, options.shard);
  checkRunMutex(paths.runLock);
  checkRunMutex(own.runLock);
  // Everything read and checked before the mutex creates anything: a bad manifest, lock or
  // shard lock fails here and leaves the tree as it was.
  await read();
  const release = await (options.acquireMutex?.() ??
    acquireShardRunMutex(paths.runLock, own.runLock, path.resolve(options.config), {
      ...(options.waitMs !== undefined && { waitMs: options.waitMs }),
      onWait: () => options.logger?.warn('waiting for another pixlock process on this manifest...'),
    }));
  try {
    const { project, references, shard, cache, exchange } = await read();
    const { manifest } = project;
    const needsProvider =
      !options.frozen &&
      shard.plan.entries.some(
        (e) => PROVIDER_ACTIONS.has(e.action) && e.unconfirmedSince === undefined,
      );
    const provider =
      options.provider ??
      (needsProvider
        ? await createProvider(manifest, options.env, options.clock)
        : unusedProvider(manifest.provider.name));
    // With a store, as a whole run: what an earlier run left unpushed goes first, the store is
    // checked writable before anything is paid (store-run.ts); then the shard is claimed, so a
    // second runner given it does not pay too. Both before its lock is written: a runner
    // refused here leaves nothing that would hide what the other one publishes.
    const storeRun = await prepareStoreRun(project, shard.plan, needsProvider, {
      lock: shard.work,
      pushJournal: shard.paths.pushJournal,
    });
    if (needsProvider) await exchange.claim(shard.meta);
    try {
      if (needsProvider) await refusePublishedSince(exchange, shard);
      // Its lock first, holding what its journal held: from here on the journal only adds to it.
      const writeLock = (text: string) =>
        writeShardLock(project.paths.dir, shard.paths.lockFile, text);
      const files: ProjectFiles = {
        ...projectFiles(project, options.files),
        lock: { writeLock: (text) => writeLock(withShardBlock(text, shard.meta)) },
      };
      await writeLock(serializeShardLock(shard.meta, shard.work));
      for (const f of [shard.paths.journalOld, shard.paths.journal])
        await clearJournal(project.paths.dir, f);
      // Made, not emptied: other shards may have downloads on their way in it (a whole run
      // empties it, once no shard runs). This shard's own reserve, left by a run of it that was
      // killed, goes: no one else uses that name.
      const safe = new SafeFolders(project.paths.dir);
      safe.resolve(`${TMP_DIR}/x`, true);
      const reservePath = safe.resolve(
        path.relative(project.paths.dir, shard.paths.reserve),
        true,
      )!;
      await rm(reservePath, { force: true });
      const reserve = needsProvider
        ? await SpaceReserve.create(
            reservePath,
            reserveBytes(options.concurrency ?? manifest.concurrency),
          )
        : undefined;
      const journal = new LockJournal(shard.paths.journal, {
        oldFile: shard.paths.journalOld,
        ...(reserve && { reserve }),
      });
      // Shards share the provider account: each starts at its share and takes over the slots of
      // those predicted to have ended, by its own progress or by time (shared-account-limit.ts).
      const concurrency = options.concurrency ?? manifest.concurrency;
      const providerLimit =
        needsProvider && shard.spec.total > 1
          ? sharedAccountLimit(
              concurrency,
              shard.split.loads.map((l) => l.tasks),
              shard.spec.index,
              options.clock,
            )
          : undefined;
      const run = await runPlan({
        ...(providerLimit && { providerLimit }),
        ...runOptions(options, project, shard.plan, references, {
          provider,
          files: storeRun ? { ...files, pushNotes: storeRun.pushNotes } : files,
          codec: options.codec ?? sharpCodec(),
        }),
        lock: shard.work,
        journal: options.journal ?? journal,
        lockJournal: journal,
      }).finally(() => {
        journal.close();
        reserve?.release();
      });
      const finished = storeRun ? await storeRun.finish(run) : run;
      // The store's seam: originals, outputs and this lock pushed before the shard says done. It
      // throws naming what it could not push; once it returns, all the lock names is there.
      await exchange.publish({
        meta: shard.meta,
        lock: shard.work,
        text: serializeShardLock(shard.meta, shard.work),
      });
      const { unpushed: _pushedSince, ...published } = finished;
      await cache.commit();
      return { project, plan: shard.plan, run: published, shard: described(shard) };
    } catch (error) {
      // A run that claimed the shard and failed before publishing gives the claim up, so a
      // retry on another runner may take it (a rerun on this one holds it anyway).
      if (needsProvider) await exchange.abandon?.(shard.meta).catch(() => undefined);
      throw error;
    }
  } finally {
    await release();
  }
}

/** Writes a shard's lock beside the manifest, atomically and through no link. */
async function writeShardLock(dir: string, file: string, text: string): Promise<void> {
  const target = new SafeFolders(dir).resolve(path.relative(dir, file), false) ?? file;
  await writeFileAtomically(target, text, projectTempPath(dir, '.lock'));
}

function described(shard: ShardRun): GenerateShardResult['shard'] {
  return {
    spec: shard.spec,
    split: shard.split,
    images: shard.meta.images,
    lockFile: shard.paths.lockFile,
  };
}

/**
 * After the claim: a runner of this shard that published its lock between this one's read and
 * its claim (a published shard's claim is free again) made what this one planned to pay for.
 * This one stops, paying nothing; run again, it takes that lock (unless it resumes its own
 * earlier run, whose work comes first).
 * @throws PixlockError SHARD_CLAIMED.
 */
async function refusePublishedSince(exchange: ShardExchange, shard: ShardRun): Promise<void> {
  if (shard.resumed?.from === 'local') return;
  const now = await exchange.recorded(shard.meta);
  if (!now) return;
  if (shard.resumed?.from === 'published' && serializeLock(now.lock) === shard.resumed.text) return;
  const spec = formatShardSpec(shard.spec);
  throw new PixlockError(
    'SHARD_CLAIMED',
    `shard ${spec} of this manifest and lock was published by another runner while this one was starting: ` +
      'nothing was paid. Run this again: what it made is picked up, not paid for again',
    { details: { shard: spec } },
  );
}
