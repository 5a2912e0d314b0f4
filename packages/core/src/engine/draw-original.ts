import { isPixlockError } from '../errors.js';
import type { LockedOriginal } from '../lock/lockfile.js';
import type { ResolvedImage } from '../manifest/resolved-manifest.js';
import { isUrlReference } from '../plan/hashes.js';
import type { FinalStatus, GenerationRequest } from '../providers/image-provider.js';
import type { Permit } from './adaptive-limit.js';
import { createTask } from './create-task.js';
import { addImageReferences, type UpstreamOriginals } from './image-references.js';
import { keepOriginal } from './keep-original.js';
import { addLocalReferences } from './local-references.js';
import { noteCharge } from './note-charge.js';
import { pollOnce } from './poll-once.js';
import { pollTask } from './poll-task.js';
import type { DecodedImage } from './ports.js';
import type { RunContext } from './run-context.js';
import type { ImageResult } from './run-types.js';
import { taskResult, type TaskResult } from './task-result.js';

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
  /** Where the provider put the result, when it gave a URL: a later task of the run may reference it there. */
  url?: string;
  credits: number;
  resumed: boolean;
  original: LockedOriginal;
  made: T;
  /** Call once the image is recorded in the lock (a synchronous call's journal line goes). */
  settle(): void;
}

/** Why no original came (interrupted, budget, stopped; or `submitted`: its task runs on). */
export type NotDrawn = Pick<ImageResult, 'outcome' | 'skipReason' | 'error' | 'taskId'>;

type Ended = TaskResult & { taskId: string; settle(): void };

/**
 * Draws one original through the provider: create (or resume) a task, record it before
 * polling, poll it to its end (a synchronous call returns it ended), then keep-original.ts
 * gets, verifies and keeps the result and hands the decoded pixels to `then`. The provider
 * slot is freed the moment the task is over, before anything is downloaded.
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
  // Added before any create, a fresh one after a recorded task was lost included. Bytes sent
  // inline are part of the request a resumed task is polled with, too; uploads are not
  // needed to resume and wait for the first create.
  let referencesAdded = false;
  const addReferences = async () => {
    if (referencesAdded) return;
    referencesAdded = true;
    if (task.upstream) await addImageReferences(ctx, request, task.upstream);
    await addLocalReferences(ctx, image, request);
  };
  if (ctx.provider.capabilities.references === 'inline') await addReferences();
  let taskId = task.resumeTaskId;
  let resumed = taskId !== undefined;
  let done: Ended | undefined;
  while (!done) {
    let permit: Permit;
    let acceptedAt: number | undefined;
    let finished: FinalStatus | undefined;
    let settle = () => {};
    if (taskId === undefined) {
      await addReferences();
      const created = await createTask(ctx, request, price, {
        generation: task.generation,
        provider: ctx.provider.name,
        seed: task.imageSeed,
        ...(task.candidate !== undefined && { candidate: task.candidate }),
      });
      if ('outcome' in created) return created;
      ({ taskId, permit, acceptedAt, finished, settle } = created);
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
      let result: TaskResult;
      if (finished) result = taskResult(taskId, finished);
      else if (ctx.noWait) {
        // Not waited for: a task just created is left to run, a recorded one asked once.
        const status = resumed ? await pollOnce(ctx, taskId, request) : undefined;
        if (status === undefined) return { outcome: 'submitted', taskId };
        result = taskResult(taskId, status);
      } else result = await pollTask(ctx, taskId, request, acceptedAt);
      done = { ...result, taskId, settle };
    } catch (error) {
      if (!isPixlockError(error, 'PROVIDER_TASK_LOST', 'PROVIDER_TASK_FAILED')) throw error;
      // Over for good (a failed synchronous call too): nothing stays pending or journaled.
      await ctx.lock.clearPending(task.key);
      settle();
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
  let kept;
  try {
    kept = await keepOriginal(ctx, image.id, done.output, then);
  } catch (error) {
    // A result that is no image is a known end (paid for, unusable): the next run draws
    // anew. Anything else keeps a synchronous call's journal line, and the image is held.
    if (isPixlockError(error, 'DOWNLOAD_INVALID') && 'bytes' in done.output) done.settle();
    throw error;
  }
  return {
    taskId: done.taskId,
    ...('url' in done.output && { url: done.output.url }),
    credits: done.credits,
    resumed,
    settle: done.settle,
    ...kept,
  };
}
