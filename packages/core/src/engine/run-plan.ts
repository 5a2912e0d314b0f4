import { setMaxListeners } from 'node:events';
import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';
import { asDiskError } from '../disk/disk-error.js';
import { errorMessage, isPixlockError, PixlockError } from '../errors.js';
import { resumeToken } from '../lock/resume-token.js';
import type { Lockfile } from '../lock/lockfile.js';
import type { ResolvedImage, ResolvedManifest } from '../manifest/resolved-manifest.js';
import { PROVIDER_ACTIONS, resolveReference, type Plan, type PlanEntry } from '../plan/plan.js';
import type { ImageProvider } from '../providers/image-provider.js';
import { AdaptiveLimit } from './adaptive-limit.js';
import { Budget } from './budget.js';
import { generateImage } from './generate-image.js';
import { generateVariants } from './generate-variants.js';
import type { CreateJournal } from '../journal/create-journal.js';
import type { LockJournal } from '../journal/lock-journal.js';
import { LockWriter } from './lock-writer.js';
import {
  systemClock,
  silentLogger,
  type Clock,
  type ImageCodec,
  type Logger,
  type ProjectFiles,
} from './ports.js';
import { moveOutputs } from './move-outputs.js';
import { rebuildOutputs } from './rebuild-outputs.js';
import type { RunContext } from './run-context.js';
import type { EngineEvent, ImageResult, RunResult } from './run-types.js';
import { runResult } from './run-result.js';
import { graphJobs, graphPriority, referenceFailed, type EntryJob } from './graph-jobs.js';
import { schedule } from './scheduler.js';
import { TaskDurations } from './task-durations.js';
import { readReferenceFile } from './inline-reference.js';

/** Everything a run needs; side effects come in as parameters. */
export interface RunPlanOptions {
  manifest: ResolvedManifest;
  plan: Plan;
  /** The lock the plan was made from; the run updates it in place and on disk. */
  lock: Lockfile;
  provider: ImageProvider;
  /** The project's files, a port for each kind (temporary files, outputs, originals, the lock). */
  files: ProjectFiles;
  /** Decodes originals and encodes outputs (the adapters pass `sharpCodec()`). */
  codec: ImageCodec;
  /** Where paid creates are noted before they are sent (default: nowhere). */
  journal?: CreateJournal;
  /** Where lock changes go during the run, folded into the lock at its end (default: none, every change rewrites the lock). */
  lockJournal?: LockJournal;
  clock?: Clock;
  logger?: Logger;
  /** Source of seeds for images that have none yet. */
  random?: () => number;
  /** Provider tasks in flight at once (default: the manifest's). */
  concurrency?: number;
  /**
   * The limit on provider tasks in flight (default: an AdaptiveLimit of `concurrency`). A
   * shard passes one that starts at its share of the account (account-share.ts).
   */
  providerLimit?: AdaptiveLimit;
  /** Images decoded and encoded at once (default: the machine's parallelism). */
  pipelineSlots?: number;
  /** Never call the provider: work that needs it is reported as skipped (`frozen`). */
  frozen?: boolean;
  /** Most credits this run may commit, counted as the provider reports them. */
  maxCredits?: number;
  /**
   * Do not wait for the provider: tasks are created and recorded in `pending`, a recorded
   * task is polled once, and images whose tasks are still running end `submitted` (a later
   * run collects them). For providers whose calls are `task`s.
   */
  noWait?: boolean;
  signal?: AbortSignal;
  onEvent?: (event: EngineEvent) => void;
  /** Local reference file hashes (absolute path → sha256). */
  references?: ReadonlyMap<string, string>;
  /** Reads a local reference file for a provider that takes references inline (default: from disk, bounded). */
  readReference?: (file: string) => Promise<Buffer>;
}

/**
 * Applies a plan. One image's failure never stops the others; an aborted signal stops new
 * work, lets what is being written finish, and leaves a valid lock.
 */
export async function runPlan(options: RunPlanOptions): Promise<RunResult> {
  const { manifest, plan, provider } = options;
  const signal = options.signal ?? new AbortController().signal;
  // Every waiting task listens on the one signal; many listeners are expected here.
  setMaxListeners(0, signal);
  const emit = options.onEvent ?? (() => {});
  const concurrency = options.concurrency ?? provider.maxInFlight ?? manifest.concurrency;
  const pipelineSlots = options.pipelineSlots ?? Math.max(1, availableParallelism());
  const graphPriorityOf = graphPriority(manifest);
  const ctx: RunContext = {
    manifest,
    provider,
    temps: options.files.temps,
    outputs: options.files.outputs,
    originals: options.files.originals,
    codec: options.codec,
    ...(options.files.objects && { objects: options.files.objects }),
    pushNotes: options.files.pushNotes ?? { unstored() {}, stored() {} },
    lock: new LockWriter(
      options.lock,
      (text) => options.files.lock.writeLock(text),
      options.lockJournal,
    ),
    journal: options.journal ?? { sent() {}, settled() {} },
    clock: options.clock ?? systemClock,
    logger: options.logger ?? silentLogger,
    random: options.random ?? Math.random,
    signal,
    emit,
    // A provider that queues what it is given (a batch API) has no account slots to learn:
    // every slot is open from the start, so a run's creates go out together. A shard passes
    // its share of the account instead (shard/shared-account-limit.ts).
    providerLimit:
      options.providerLimit ??
      new AdaptiveLimit(
        concurrency,
        provider.maxInFlight !== undefined ? { initial: concurrency } : {},
      ),
    pipeline: pLimit(pipelineSlots),
    budget: new Budget(options.maxCredits, { priced: provider.chargesListPrice === true }),
    durations: new TaskDurations(provider.pollIntervalMs),
    stop: undefined,
    unrecorded: new Map(),
    noWait: options.noWait ?? false,
    graph: { resultUrls: new Map(), uploads: new Map() },
    ...(graphPriorityOf && { priorityOf: graphPriorityOf }),
    referenceHash: (sourceFile, ref) => options.references?.get(resolveReference(sourceFile, ref)),
    readReference: options.readReference ?? readReferenceFile,
  };
  const images = new Map(manifest.images.map((i) => [i.id, i]));
  const jobs = planJobs(plan, options.frozen ? { ...manifest, images: [] } : manifest, (entry) =>
    runEntry(ctx, entry, images, options.frozen ?? false),
  );
  emit({
    type: 'run-start',
    total: jobs.length,
    providerWork: jobs.providerWork,
    ...(plan.currency && { currency: plan.currency }),
  });
  // Only images built on others need the results of those they wait on.
  const ended = graphPriorityOf ? new Map<string, ImageResult>() : undefined;
  // The window bounds how many images are in progress at once (slots held, results waiting
  // for a pipeline slot), so memory does not grow with the plan. A result waiting for the
  // pipeline holds only its URL, so many of them (64, or twice the concurrency) may queue
  // before creates wait too: with 2 × concurrency, a pipeline slower for a moment (a loaded
  // machine) left no create ready when a provider slot opened.
  const done = await schedule<ImageResult, EntryJob>(jobs, {
    window: Math.max(4 * concurrency, 64) + 2 * pipelineSlots,
    // An image still at the provider has no original yet for the images built on it.
    failed: (r) => r.outcome === 'failed' || r.outcome === 'skipped' || r.outcome === 'submitted',
    skipped: (job, dependency) => referenceFailed(job.entry, dependency, ended ?? new Map()),
    onResult: (_job, result) => {
      ended?.set(result.id, result);
      emit({ type: 'image-end', result });
    },
  });
  await ctx.lock.flush().catch((error: unknown) => {
    throw lockNotWritten(ctx, error);
  });
  const result = runResult(plan, new Map(done.map((r) => [r.id, r])), {
    interrupted: signal.aborted,
    ...(ctx.stop && { stoppedBy: { code: ctx.stop.code, message: ctx.stop.message } }),
  });
  emit({ type: 'run-end', result });
  return result;
}

/**
 * The jobs of a plan's work, provider work first: its tasks wait on the server, so starting
 * them early overlaps that wait with local work. (A function of its own so that the lists it
 * sorts from are not held, beside the jobs, for the whole run.)
 */
function planJobs(
  plan: Plan,
  manifest: ResolvedManifest,
  run: (entry: PlanEntry) => Promise<ImageResult>,
): EntryJob[] & { providerWork: number } {
  const work = plan.entries.filter((e) => e.action !== 'unchanged' && e.action !== 'orphan');
  const providerWork = work.filter((e) => PROVIDER_ACTIONS.has(e.action));
  const ordered = [...providerWork, ...work.filter((e) => !PROVIDER_ACTIONS.has(e.action))];
  // Frozen, every image that needs the provider is reported as such, whatever it is built on
  // (the caller passes a manifest without images: no edges).
  return Object.assign(graphJobs(ordered, manifest, run), { providerWork: providerWork.length });
}

async function runEntry(
  ctx: RunContext,
  entry: PlanEntry,
  images: Map<string, ResolvedImage>,
  frozen: boolean,
): Promise<ImageResult> {
  const base = { id: entry.id, action: entry.action, credits: 0 };
  const image = images.get(entry.id);
  if (!image)
    return {
      ...base,
      outcome: 'failed',
      error: { code: 'INTERNAL', message: 'a plan entry not in the manifest' },
    };
  if (ctx.signal.aborted) return { ...base, outcome: 'interrupted' };
  ctx.emit({ type: 'image-start', id: entry.id, action: entry.action });
  try {
    // Candidates dropped, none drawn (`variants` lowered): no provider, frozen or not.
    if (entry.candidates?.tasks.length === 0) return await generateVariants(ctx, entry, image);
    if (entry.action === 'move') return await moveOutputs(ctx, entry, image);
    if (!PROVIDER_ACTIONS.has(entry.action)) return await rebuildOutputs(ctx, entry, image);
    // Held before frozen: what the user must do about it is check the account, not run
    // without --frozen.
    if (entry.unconfirmedSince !== undefined) {
      const message =
        `${entry.id}: an earlier run sent its create at ${entry.unconfirmedSince} and never got the answer ` +
        `(it was killed, the connection dropped, or a gateway timed out), so ${ctx.manifest.provider.name} may have made and charged that task. ` +
        `It is not created again on its own: check the tasks in your ${ctx.manifest.provider.name} account, ` +
        `then run "pixlock generate --force ${entry.id}" to create it anew.`;
      return {
        ...base,
        outcome: 'skipped',
        skipReason: 'unconfirmed',
        error: { code: 'PROVIDER_CREATE_UNCONFIRMED', message },
      };
    }
    if (frozen) return { ...base, outcome: 'skipped', skipReason: 'frozen' };
    return await (entry.candidates ? generateVariants : generateImage)(ctx, entry, image);
  } catch (caught) {
    // A full or failing disk fails this image and stops every create after it: each would be
    // paid for and then fail the same way. Tasks already paid for go on being polled.
    const disk = asDiskError(caught);
    if (disk) ctx.stop ??= disk;
    const error = disk ?? caught;
    if (ctx.signal.aborted && !isPixlockError(error)) return { ...base, outcome: 'interrupted' };
    const pe = isPixlockError(error) ? error : undefined;
    // Provider errors already name the image; others get its id in front.
    const text = errorMessage(error);
    const message = text.startsWith(`${entry.id}: `) ? text : `${entry.id}: ${text}`;
    return {
      ...base,
      outcome: 'failed',
      error: {
        code: pe?.code ?? 'UNKNOWN',
        message,
        ...(pe?.extra.details && { details: pe.extra.details }),
      },
    };
  }
}

/**
 * The lock could not be written at the end of the run: what the run did is in the journal
 * (`.pixlock/journal.jsonl.old`), which the next run replays. A paid task whose id is in
 * neither is named in the form `--resume` takes.
 */
function lockNotWritten(ctx: RunContext, error: unknown): unknown {
  const disk = asDiskError(error);
  if (!disk) return error;
  const resume = [...ctx.unrecorded].map(([key, taskId]) => `--resume ${resumeToken(key, taskId)}`);
  const tail =
    resume.length === 0
      ? ''
      : `; paid tasks whose id is on no disk: resume them rather than pay again with pixlock generate ${resume.join(' ')}`;
  return new PixlockError(disk.code, `the lock was not written: ${disk.message}${tail}`, {
    cause: error,
    ...(disk.extra.details && { details: disk.extra.details }),
  });
}
