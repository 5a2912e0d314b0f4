import { PixlockError } from '../errors.js';
import { LOCK_MAX_BYTES, NotRegularFileError, readRegularFile } from '../disk/read-regular-file.js';
import { replayJournal } from '../journal/replay-journal.js';
import { emptyLock, type Lockfile } from '../lock/lockfile.js';
import { serializeLock } from '../lock/serialize-lock.js';
import { imageIdOf } from '../lock/task-key.js';
import { plan, type Plan, type PlanOptions } from '../plan/plan.js';
import { costTotal } from '../pricing/cost-total.js';
import { lockAsObserved } from '../shard/lock-as-observed.js';
import { manifestDigest } from '../shard/manifest-digest.js';
import { localExchange, type ShardExchange } from '../shard/shard-exchange.js';
import { parseShardLock, type ShardLock, type ShardMeta } from '../shard/shard-lock.js';
import { shardPaths } from '../shard/shard-paths.js';
import { formatShardSpec, type ShardSpec } from '../shard/shard-spec.js';
import { shareOf, splitPlan, type ShardSplit } from '../shard/split-plan.js';
import { sha256 } from '../util/sha256.js';
import { applyResume } from './apply-resume.js';
import type { Project } from './load-project.js';
import type { ObservedFiles } from './observe-outputs.js';
import { planAsking } from './plan-asking.js';

/** One shard's run, read and planned: what `generate --shard` works from. */
export interface ShardRun {
  spec: ShardSpec;
  paths: ReturnType<typeof shardPaths>;
  /** What the shard runs against: the `shard:` block of its lock. */
  meta: ShardMeta;
  split: ShardSplit;
  /**
   * The share's entries and pending tasks: the lock's, then what an earlier run of this
   * shard recorded (its lock file, then its journal, replayed). The run updates it in place.
   */
  work: Lockfile;
  /** The plan of the share's images (made from the lock with {@link work} in it). */
  plan: Plan;
  /** Changes a killed run of this shard left in its journal (replayed into `work`). */
  journaled: number;
  /** Creates that run sent and never settled (now held in `work.pending`). */
  unsettled: number;
  /**
   * Where `work` came from beyond the lock: this runner's own earlier run (`local`), what
   * another runner of the shard published in the store (`published`, its text), or nothing.
   */
  resumed: { from: 'local' } | { from: 'published'; text: string } | undefined;
}

/** What {@link readShardRun} takes beyond the project and the shard. */
export interface ShardRunOptions {
  /** Where another runner of the shard may have recorded its work (default: nowhere). */
  exchange?: Pick<ShardExchange, 'recorded'>;
  /** `--resume <key>=<taskId>` values (apply-resume.ts), for the share's tasks. */
  resume?: readonly string[];
}

/**
 * Reads shard `spec` of a project as read (the manifest, and the lock with any journal of a
 * killed whole run replayed: the base every shard starts from) and plans its share. `look`
 * says what the working tree holds as a lock names it (observe-outputs.ts); the project's
 * originals store is asked only what the share's plan asks (plan-asking.ts). Reads only:
 * nothing is written.
 *
 * The split is made from the manifest and that base alone (split-plan.ts), so every runner
 * gets the same one. An earlier run of this shard that ran against another manifest, lock or
 * split is refused (SHARDS_MISMATCH): its results, and any task it paid for, belong to that
 * run; `pixlock merge` keeps them, starting over would lose them.
 */
export async function readShardRun(
  project: Project,
  spec: ShardSpec,
  look: (lock: Lockfile) => Promise<ObservedFiles>,
  options: PlanOptions = {},
  more: ShardRunOptions = {},
): Promise<ShardRun> {
  const { manifest, lock: base } = project;
  const exchange = more.exchange ?? localExchange;
  const paths = shardPaths(project.paths.dir, spec);
  // An earlier run's lock of this shard is checked (as hostile input) before anything else.
  const local = await readShardLockFile(paths.lockFile, manifest.outDir);
  // Local references by content (the same on every runner of one checkout), for the split.
  const { references } = await look(base);
  // `--force` adds work but changes no one's share: left out, so a shard rerun with it (to
  // redo an image) is the same shard of the same split.
  const { force: _force, ...splitOptions } = options;
  const blind = plan(manifest, base, lockAsObserved(base, references), splitOptions);
  const split = splitPlan(manifest, base, blind, spec.total);
  const share = shareOf(split, spec.index);
  const meta: ShardMeta = {
    index: spec.index,
    total: spec.total,
    manifest: await manifestDigest(manifest),
    lock: sha256(serializeLock(base)),
    split: split.digest,
    images: share,
  };
  const work = emptyLock();
  const mine = new Set(share);
  for (const id of share) if (base.images[id]) work.images[id] = base.images[id];
  for (const [key, task] of Object.entries(base.pending))
    if (mine.has(imageIdOf(key))) work.pending[key] = task;
  // This runner's own earlier run first; else what the store says another runner of this
  // shard recorded (shard-exchange.ts), when it ran against the very same things.
  const claimed = local ? undefined : await exchange.recorded(meta);
  const prior =
    local ?? (claimed && differences(claimed.meta, meta).length === 0 ? claimed : undefined);
  if (prior) {
    const differs = differences(prior.meta, meta);
    if (differs.length > 0)
      throw new PixlockError(
        'SHARDS_MISMATCH',
        `${paths.lockFile} is from an earlier run of shard ${formatShardSpec(spec)} against another ${differs.join(', ')}; ` +
          'what it holds (images made, tasks paid for) would be lost by starting over: run "pixlock merge --partial" to fold it into pixlock.lock first ' +
          `(or delete it and ${paths.journal} to start the shard over)`,
        { details: { file: paths.lockFile, differs } },
      );
    for (const id of share) {
      if (prior.lock.images[id]) work.images[id] = prior.lock.images[id];
      else delete work.images[id];
    }
    for (const key of Object.keys(work.pending)) delete work.pending[key];
    Object.assign(work.pending, prior.lock.pending);
  }
  const replayed = await replayJournal(work, [paths.journalOld, paths.journal], manifest.outDir);
  // `--resume <key>=<taskId>` for a paid task of the share a full disk kept from its journal.
  if (more.resume?.length) replayed.changes += applyResume(work, mine, more.resume);
  for (const key of [...Object.keys(work.images), ...Object.keys(work.pending)])
    if (!mine.has(imageIdOf(key)))
      throw new PixlockError(
        'SHARDS_MISMATCH',
        `${paths.journal} records image "${imageIdOf(key)}", which is not one of shard ${formatShardSpec(spec)}'s images: it is from a run against another manifest or lock. ` +
          'Run "pixlock merge --partial" to keep what it holds, or delete it to start the shard over',
      );
  // The whole lock, the share's part replaced by the shard's own: what its plan is made from.
  const full: Lockfile = { ...base, images: { ...base.images }, pending: { ...base.pending } };
  for (const id of share) delete full.images[id];
  for (const key of Object.keys(full.pending))
    if (mine.has(imageIdOf(key))) delete full.pending[key];
  Object.assign(full.images, work.images);
  Object.assign(full.pending, work.pending);
  // What is on disk, as the lock with the shard's own entries names it.
  const { plan: whole } = await planAsking(
    manifest,
    full,
    await look(full),
    project.originals,
    options,
  );
  const entries = whole.entries.filter((e) => mine.has(e.id));
  const total = costTotal(
    entries.map((e) => e.credits),
    whole.currency,
  );
  return {
    spec,
    paths,
    meta,
    split,
    work,
    plan: { version: whole.version, entries, ...total },
    journaled: replayed.changes,
    unsettled: replayed.unsettled,
    resumed: local
      ? { from: 'local' }
      : prior
        ? { from: 'published', text: serializeLock(prior.lock) }
        : undefined,
  };
}

/** A shard lock on disk, checked as hostile input; undefined when there is none. */
export async function readShardLockFile(
  file: string,
  outDir: string,
): Promise<ShardLock | undefined> {
  let text: string;
  try {
    text = (await readRegularFile(file, { maxBytes: LOCK_MAX_BYTES })).toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (error instanceof NotRegularFileError)
      throw new PixlockError('LOCK_INVALID', `the shard lock ${error.message}`, { cause: error });
    throw error;
  }
  return parseShardLock(text, file, outDir);
}

/** Which of what a shard runs against differ between two `shard:` blocks. */
export function differences(a: ShardMeta, b: ShardMeta): string[] {
  const out: string[] = [];
  if (a.index !== b.index || a.total !== b.total) out.push('shard');
  if (a.manifest !== b.manifest) out.push('manifest');
  if (a.lock !== b.lock) out.push('pixlock.lock');
  if (a.split !== b.split) out.push('split');
  return out;
}
