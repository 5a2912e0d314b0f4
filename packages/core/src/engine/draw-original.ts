import { isPixlockError, PixlockError } from '../errors.js';
import type { LockedOriginal } from '../lock/lockfile.js';
import type { ResolvedImage } from '../manifest/resolved-manifest.js';
import { isUrlReference } from '../plan/hashes.js';
import { resolveReference } from '../plan/resolve-reference.js';
import type { GenerationRequest, TaskOutput } from '../providers/image-provider.js';
import { sha256 } from '../util/sha256.js';
import type { Permit } from './adaptive-limit.js';
import { createTask } from './create-task.js';
import { downloadOriginal } from './download-original.js';
import { addImageReferences, type UpstreamOriginals } from './image-references.js';
import { pollTask } from './poll-task.js';
import type { DecodedImage } from './ports.js';
import type { RunContext } from './run-context.js';
import type { ImageResult } from './run-types.js';
import { plural } from '../util/plural.js';

/** One provider task to draw an original with. */
export interface DrawTask {
  /** Its key in `pending` and the journal: the image id, or `<id>#<n>` for a candidate. */
  key: string;
  seed: number;
  /** The image's generation hash (recorded with the pending task). */
  generation: string;
  /** The image's seed, recorded with the pending task (the candidate's own is derived). */
  imageSeed: number;
  /** The candidate slot (2-8), recorded with the pending task; absent for the first. */
  candidate?: number;
  /** A task an earlier run paid for, to poll instead of creating one. */
  resumeTaskId?: string;
  /** The originals of the manifest images this one is drawn from, sent as references. */
  upstream?: UpstreamOriginals;
}

/** An original drawn and kept, and what `then` made from it in the same pipeline slot. */
export interface Drawn<T> {
  taskId: string;
  /** Where the provider put the result: a later task of this run may reference it there. */
  url: string;
  credits: number;
  resumed: boolean;
  original: LockedOriginal;
  made: T;
}

/** Why no task was created (interrupted, budget, stopped). */
export type NotDrawn = Pick<ImageResult, 'outcome' | 'skipReason' | 'error'>;

/**
 * Draws one original through the provider: create (or resume) a task, record it before
 * polling, poll it to its end, then, in one pipeline slot, download and verify the result,
 * keep the original and hand the decoded pixels to `then`. The provider slot is freed the
 * moment the server reports the task done, before anything is downloaded.
 */
export async function drawOriginal<T>(
  ctx: RunContext,
  image: ResolvedImage,
  task: DrawTask,
  price: number,
  then: (decoded: DecodedImage) => Promise<T>,
): Promise<Drawn<T> | NotDrawn> {
  const request: GenerationRequest = {
    id: task.key,
    model: ctx.manifest.provider.model,
    prompt: image.prompt,
    ...(image.negativePrompt !== undefined && { negativePrompt: image.negativePrompt }),
    seed: task.seed,
    aspectRatio: image.aspectRatio,
    resolution: image.resolution,
    references: image.references.filter(isUrlReference),
  };
  let taskId = task.resumeTaskId;
  let resumed = taskId !== undefined;
  // Local files are uploaded before the first create this call makes, also when a recorded
  // task turned out lost and is created again: never a create without its references.
  let localAdded = false;
  const addLocalReferences = async () => {
    if (localAdded || !ctx.provider.uploadReference) return;
    localAdded = true;
    for (const ref of image.references.filter((r) => !isUrlReference(r))) {
      const file = resolveReference(image.sourceFile, ref);
      request.references.push(
        await ctx.provider.uploadReference(file, request, { signal: ctx.signal }),
      );
    }
  };
  // Added before any create, a fresh one after a recorded task was lost included; a provider
  // that draws from the bytes (the placeholder) needs them to resume, too.
  const upstream = task.upstream;
  let referencesAdded = upstream === undefined;
  const addReferences = async () => {
    if (referencesAdded) return;
    referencesAdded = true;
    await addImageReferences(ctx, request, upstream!);
  };
  if (!ctx.provider.uploadOriginal) await addReferences();
  let done: { output: TaskOutput; credits: number; taskId: string } | undefined;
  while (!done) {
    let permit: Permit;
    let acceptedAt: number | undefined;
    if (taskId === undefined) {
      await addLocalReferences();
      await addReferences();
      const created = await createTask(ctx, request, price, {
        generation: task.generation,
        provider: ctx.provider.name,
        seed: task.imageSeed,
        ...(task.candidate !== undefined && { candidate: task.candidate }),
      });
      if ('outcome' in created) return created;
      ({ taskId, permit } = created);
      acceptedAt = created.acceptedAt;
    } else {
      // A resumed task may still be running on the server, in one of the account's slots.
      try {
        permit = await ctx.providerLimit.acquire(ctx.signal);
      } catch {
        return { outcome: 'interrupted' };
      }
      permit.accepted();
      ctx.emit({ type: 'task-resumed', id: image.id, taskId });
    }
    try {
      done = { ...(await pollTask(ctx, taskId, request, acceptedAt)), taskId };
    } catch (error) {
      if (!isPixlockError(error, 'PROVIDER_TASK_LOST', 'PROVIDER_TASK_FAILED')) throw error;
      await ctx.lock.clearPending(task.key);
      // A task recorded by an earlier run that the provider lost or failed is created again.
      if (!resumed) throw error;
      ctx.logger.warn(`${task.key}: recorded task ${taskId} ${error.message}; creating a new one`);
      taskId = undefined;
      resumed = false;
    } finally {
      permit.release();
    }
  }
  noteCharge(ctx, task.key, resumed ? 0 : price, price, done.credits, resumed);

  // Not cut short by an abort here: the image is paid for and done, and the download is
  // given the run's signal, so a provider that honours it stops promptly anyway.
  const kept = await ctx.pipeline(async () => {
    ctx.emit({ type: 'image-stage', id: image.id, stage: 'downloading' });
    const { tempPath, bytes, decoded } = await downloadOriginal(ctx, image.id, done.output);
    ctx.emit({ type: 'image-stage', id: image.id, stage: 'processing' });
    const originalSha = sha256(bytes);
    await ctx.store.adoptOriginal(tempPath, originalSha, decoded.mediaType);
    const made = await then(decoded);
    // Only sizes leave the slot: the pixels and bytes are garbage from here on.
    const original: LockedOriginal = {
      sha256: originalSha,
      mediaType: decoded.mediaType,
      bytes: bytes.length,
      width: decoded.width,
      height: decoded.height,
    };
    return { original, made };
  });
  return { taskId: done.taskId, url: done.output.url, credits: done.credits, resumed, ...kept };
}

/**
 * Counts what the provider reported against the budget. A provider that charges more than
 * the list price makes every estimate wrong: with a budget set, no new task is created.
 */
function noteCharge(
  ctx: RunContext,
  id: string,
  reserved: number,
  listed: number,
  charged: number,
  resumed: boolean,
): void {
  // A resumed task was paid by the run that created it, and counted there.
  ctx.budget.settle(reserved, resumed ? 0 : charged);
  if (charged <= listed) return;
  const spent = ctx.budget.spent;
  const budget =
    ctx.budget.max === undefined
      ? ''
      : `; ${plural(spent, 'credit')} spent against a budget of ${ctx.budget.max}, so no new task is created`;
  const message = `${ctx.provider.name} charged ${plural(charged, 'credit')} for ${id}, listed at ${listed}${budget}`;
  ctx.emit({ type: 'overcharged', id, listed, charged });
  ctx.logger.warn(message);
  if (ctx.budget.max !== undefined) {
    ctx.stop ??= new PixlockError('PROVIDER_OVERCHARGED', message, {
      details: { id, listed, charged, spent, budget: ctx.budget.max },
    });
  }
}
