import { setMaxListeners } from 'node:events';
import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';
import { errorMessage, isPixlockError, PixlockError } from '../errors.js';
import type { Lockfile } from '../lock/lockfile.js';
import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import { PROVIDER_ACTIONS, resolveReference, type Plan, type PlanEntry } from '../plan/plan.js';
import { creditsToUsd } from '../plan/pricing.js';
import type { ImageProvider } from '../providers/image-provider.js';
import { AdaptiveLimit } from './adaptive-limit.js';
import { decodeOriginal } from './decode-original.js';
import { generateImage } from './generate-image.js';
import type { CreateJournal } from '../disk/create-journal.js';
import type { LockJournal } from '../disk/lock-journal.js';
import { LockWriter } from './lock-writer.js';
import { systemClock, silentLogger, type Clock, type Logger, type ProjectStore } from './ports.js';
import { readOriginal, writeOutputs } from './process-image.js';
import type { RunContext } from './run-context.js';
import type { EngineEvent, ImageOutcome, ImageResult, RunResult } from './run-types.js';

/** Everything a run needs; side effects come in as parameters. */
export interface RunPlanOptions {
  manifest: ResolvedManifest;
  plan: Plan;
  /** The lock the plan was made from; the run updates it in place and on disk. */
  lock: Lockfile;
  provider: ImageProvider;
  store: ProjectStore;
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
  /** Never call the provider: work that needs it is reported as skipped (`frozen`). */
  frozen?: boolean;
  /** Most credits this run may commit. */
  maxCredits?: number;
  signal?: AbortSignal;
  onEvent?: (event: EngineEvent) => void;
  /** Local reference file hashes (absolute path → sha256). */
  references?: ReadonlyMap<string, string>;
}

/**
 * Applies a plan. One image's failure never stops the others; an aborted signal stops new
 * work, lets what is being written finish, and leaves a valid lock.
 */
export async function runPlan(options: RunPlanOptions): Promise<RunResult> {
  const { manifest, plan, provider } = options;
  const signal = options.signal ?? new AbortController().signal;
  // Every waiting task listens on the one signal; hundreds of listeners are expected here.
  setMaxListeners(0, signal);
  const emit = options.onEvent ?? (() => {});
  const concurrency = options.concurrency ?? manifest.concurrency;
  const ctx: RunContext = {
    manifest,
    provider,
    store: options.store,
    lock: new LockWriter(
      options.lock,
      (text) => options.store.writeLock(text),
      options.lockJournal,
    ),
    journal: options.journal ?? { sent() {}, settled() {} },
    clock: options.clock ?? systemClock,
    logger: options.logger ?? silentLogger,
    random: options.random ?? Math.random,
    signal,
    emit,
    providerLimit: new AdaptiveLimit(concurrency),
    cpuLimit: pLimit(Math.max(1, availableParallelism())),
    maxCredits: options.maxCredits,
    committedCredits: 0,
    stop: undefined,
    referenceHash: (sourceFile, ref) => options.references?.get(resolveReference(sourceFile, ref)),
  };
  const images = new Map(manifest.images.map((i) => [i.id, i]));
  const work = plan.entries.filter((e) => e.action !== 'unchanged' && e.action !== 'orphan');
  emit({
    type: 'run-start',
    total: work.length,
    providerWork: work.filter((e) => PROVIDER_ACTIONS.has(e.action)).length,
  });

  // Local work goes through the CPU limit inside; provider work through the adaptive limit.
  // Starting everything at once is fine: both limits queue.
  const results = await Promise.all(
    plan.entries.map(async (entry): Promise<ImageResult> => {
      if (entry.action === 'unchanged' || entry.action === 'orphan') {
        return { id: entry.id, action: entry.action, outcome: 'unchanged', credits: 0 };
      }
      const result = await runEntry(ctx, entry, images, options.frozen ?? false);
      emit({ type: 'image-end', result });
      return result;
    }),
  );
  await ctx.lock.flush();

  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<ImageOutcome, number>;
  for (const r of results) counts[r.outcome]++;
  const credits = results.reduce((sum, r) => sum + r.credits, 0);
  const result: RunResult = {
    results,
    counts,
    credits,
    usd: creditsToUsd(credits),
    interrupted: signal.aborted,
    ...(ctx.stop && { stoppedBy: { code: ctx.stop.code, message: ctx.stop.message } }),
  };
  emit({ type: 'run-end', result });
  return result;
}

const OUTCOMES: ImageOutcome[] = [
  'created',
  'regenerated',
  'resumed',
  'reprocessed',
  'restored',
  'unchanged',
  'failed',
  'skipped',
  'interrupted',
];

async function runEntry(
  ctx: RunContext,
  entry: PlanEntry,
  images: Map<string, RunContext['manifest']['images'][number]>,
  frozen: boolean,
): Promise<ImageResult> {
  const base = { id: entry.id, action: entry.action, credits: 0 };
  const image = images.get(entry.id);
  if (!image)
    return {
      ...base,
      outcome: 'failed',
      error: { code: 'UNKNOWN', message: 'not in the manifest' },
    };
  if (ctx.signal.aborted) return { ...base, outcome: 'interrupted' };
  ctx.emit({ type: 'image-start', id: entry.id, action: entry.action });
  try {
    if (PROVIDER_ACTIONS.has(entry.action)) {
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
      return await generateImage(ctx, entry, image);
    }
    const locked = ctx.lock.current.images[entry.id];
    if (!locked) throw new PixlockError('ORIGINAL_MISSING', 'no lock entry to rebuild from');
    const decoded = await ctx.cpuLimit(async () =>
      decodeOriginal(await readOriginal(ctx, entry.id, locked.original)),
    );
    const output = await writeOutputs(ctx, image, decoded, locked);
    await ctx.lock.setImage(entry.id, { ...locked, output });
    return { ...base, outcome: entry.action === 'reprocess' ? 'reprocessed' : 'restored' };
  } catch (error) {
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
