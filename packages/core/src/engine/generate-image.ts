import { isPixlockError, PixlockError } from '../errors.js';
import type { ResolvedImage } from '../manifest/resolved-manifest.js';
import { generationHash, generationInputs, isUrlReference } from '../plan/hashes.js';
import { resolveReference, type PlanEntry } from '../plan/plan.js';
import { imageCredits } from '../plan/pricing.js';
import type { GenerationRequest, TaskOutput } from '../providers/image-provider.js';
import { sha256 } from '../util/sha256.js';
import type { Permit } from './adaptive-limit.js';
import { createTask } from './create-task.js';
import { downloadOriginal } from './download-original.js';
import { addImageReferences, upstreamOriginals } from './image-references.js';
import { pollTask } from './poll-task.js';
import type { RunContext } from './run-context.js';
import type { ImageResult } from './run-types.js';
import { writeOutputs } from './write-outputs.js';

/**
 * Generates one image through the provider: create (or resume) a task, record it before
 * polling, poll it to its end, then, in one pipeline slot, download and verify the result,
 * keep the original and make the outputs; last, record the image. The provider slot is
 * freed the moment the server reports the task done, before anything is downloaded.
 */
export async function generateImage(
  ctx: RunContext,
  entry: PlanEntry,
  image: ResolvedImage,
): Promise<ImageResult> {
  const previous = ctx.lock.current.images[image.id];
  // Built on other images: their originals exist now (the scheduler ran them first), so the
  // generation hash the plan could not know is computed here.
  const upstream = image.imageReferences.length > 0 ? upstreamOriginals(ctx, image) : undefined;
  const seed = entry.seed ?? Math.floor(ctx.random() * 2 ** 32);
  const generation =
    entry.generation ??
    generationHash(
      generationInputs(
        image,
        ctx.manifest.provider,
        seed,
        (img, ref) => ctx.referenceHash(img.sourceFile, ref),
        (id) => upstream?.sha256[id],
      ),
    );
  const request: GenerationRequest = {
    id: image.id,
    model: ctx.manifest.provider.model,
    prompt: image.prompt,
    ...(image.negativePrompt !== undefined && { negativePrompt: image.negativePrompt }),
    seed,
    aspectRatio: image.aspectRatio,
    resolution: image.resolution,
    references: image.references.filter(isUrlReference),
  };
  const price = imageCredits(ctx.manifest.provider.name, image.resolution);
  const base = { id: image.id, action: entry.action, credits: 0 };

  let taskId = entry.resumeTaskId;
  if (taskId === undefined && entry.waitsFor !== undefined) {
    // The plan could not match this image's recorded task without the new originals.
    const held = recordedTask(ctx, image.id, generation);
    if (held === 'unconfirmed') {
      return {
        ...base,
        outcome: 'skipped',
        skipReason: 'unconfirmed',
        error: {
          code: 'PROVIDER_CREATE_UNCONFIRMED',
          message: `${image.id}: an earlier run sent its create and never got the answer, so it may be paid for; check your account, then run "pixlock generate --force ${image.id}"`,
        },
      };
    }
    taskId = held;
  }
  let resumed = taskId !== undefined;
  const local = image.references.filter((ref) => !isUrlReference(ref));
  if (!resumed && local.length > 0 && ctx.provider.uploadReference) {
    for (const ref of local) {
      const file = resolveReference(image.sourceFile, ref);
      request.references.push(
        await ctx.provider.uploadReference(file, request, { signal: ctx.signal }),
      );
    }
  }
  // Added before any create, a fresh one after a recorded task was lost included; a provider
  // that draws from the bytes (the placeholder) needs them to resume, too.
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
      await addReferences();
      const created = await createTask(ctx, request, price, {
        generation,
        provider: ctx.provider.name,
        seed,
      });
      if ('outcome' in created) return { ...base, ...created };
      ({ taskId, permit } = created);
      acceptedAt = created.acceptedAt;
    } else {
      // A resumed task may still be running on the server, in one of the account's slots.
      try {
        permit = await ctx.providerLimit.acquire(ctx.signal);
      } catch {
        return { ...base, outcome: 'interrupted' };
      }
      permit.accepted();
      ctx.emit({ type: 'task-resumed', id: image.id, taskId });
    }
    try {
      done = { ...(await pollTask(ctx, taskId, request, acceptedAt)), taskId };
    } catch (error) {
      if (!isPixlockError(error, 'PROVIDER_TASK_LOST', 'PROVIDER_TASK_FAILED')) throw error;
      await ctx.lock.clearPending(image.id);
      // A task recorded by an earlier run that the provider lost or failed is created again.
      if (!resumed) throw error;
      ctx.logger.warn(`${image.id}: recorded task ${taskId} ${error.message}; creating a new one`);
      taskId = undefined;
      resumed = false;
    } finally {
      permit.release();
    }
  }
  noteCharge(ctx, image.id, resumed ? 0 : price, price, done.credits, resumed);

  // Not cut short by an abort here: the image is paid for and done, and the download is
  // given the run's signal, so a provider that honours it stops promptly anyway.
  const made = await ctx.pipeline(async () => {
    ctx.emit({ type: 'image-stage', id: image.id, stage: 'downloading' });
    const { tempPath, bytes, decoded } = await downloadOriginal(ctx, image.id, done.output);
    ctx.emit({ type: 'image-stage', id: image.id, stage: 'processing' });
    const originalSha = sha256(bytes);
    await ctx.store.adoptOriginal(tempPath, originalSha, decoded.mediaType);
    const output = await writeOutputs(
      ctx.codec,
      ctx.store,
      ctx.manifest.outDir,
      image,
      decoded,
      previous,
    );
    // Only sizes leave the slot: the pixels and bytes are garbage from here on.
    const original = {
      sha256: originalSha,
      mediaType: decoded.mediaType,
      bytes: bytes.length,
      width: decoded.width,
      height: decoded.height,
    };
    return { original, output };
  });
  if (ctx.provider.uploadOriginal) {
    ctx.graph.resultUrls.set(image.id, { url: done.output.url, sha256: made.original.sha256 });
  }
  await ctx.lock.setImage(image.id, {
    generation,
    provider: ctx.provider.name,
    model: ctx.manifest.provider.model,
    seed,
    taskId: done.taskId,
    credits: done.credits,
    generatedAt: ctx.clock.now().toISOString(),
    original: made.original,
    ...(upstream && { references: upstream.sha256 }),
    output: made.output,
  });
  const outcome = resumed ? 'resumed' : entry.action === 'create' ? 'created' : 'regenerated';
  return { ...base, outcome, credits: done.credits, taskId: done.taskId };
}

/** The task an earlier run recorded for this very generation: its id, or that its create went unanswered. */
function recordedTask(
  ctx: RunContext,
  id: string,
  generation: string,
): string | 'unconfirmed' | undefined {
  const pending = ctx.lock.current.pending[id];
  if (!pending || pending.generation !== generation || pending.provider !== ctx.provider.name)
    return undefined;
  return pending.taskId ?? 'unconfirmed';
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
      : `; ${spent} credits spent against a budget of ${ctx.budget.max}, so no new task is created`;
  const message = `${ctx.provider.name} charged ${charged} credits for ${id}, listed at ${listed}${budget}`;
  ctx.emit({ type: 'overcharged', id, listed, charged });
  ctx.logger.warn(message);
  if (ctx.budget.max !== undefined) {
    ctx.stop ??= new PixlockError('PROVIDER_OVERCHARGED', message, {
      details: { id, listed, charged, spent, budget: ctx.budget.max },
    });
  }
}
