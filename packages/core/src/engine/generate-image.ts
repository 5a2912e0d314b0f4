import { readFile } from 'node:fs/promises';
import { isPixlockError, PixlockError } from '../errors.js';
import type { ResolvedImage } from '../manifest/resolved-manifest.js';
import { generationHash, generationInputs, isUrlReference } from '../plan/hashes.js';
import { resolveReference, type PlanEntry } from '../plan/plan.js';
import { CREDITS_PER_IMAGE } from '../plan/pricing.js';
import type { GenerationRequest, TaskOutput } from '../providers/image-provider.js';
import { sha256 } from '../util/sha256.js';
import { decodeOriginal, type DecodedOriginal } from './decode-original.js';
import { writeOutputs } from './process-image.js';
import type { RunContext } from './run-context.js';
import type { ImageResult } from './run-types.js';

const DOWNLOAD_ATTEMPTS = 4;

/**
 * Generates one image through the provider: create (or resume) a task, record it before
 * polling, poll it to its end, download and verify the result, keep the original, make the
 * outputs, record the image. A provider slot is held from create until the task ends.
 */
export async function generateImage(
  ctx: RunContext,
  entry: PlanEntry,
  image: ResolvedImage,
): Promise<ImageResult> {
  const previous = ctx.lock.current.images[image.id];
  const seed = entry.seed ?? Math.floor(ctx.random() * 2 ** 32);
  const generation =
    entry.generation ??
    generationHash(
      generationInputs(image, ctx.manifest.provider, seed, (img, ref) =>
        ctx.referenceHash(img.sourceFile, ref),
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
  const price =
    ctx.manifest.provider.name === 'placeholder' ? 0 : CREDITS_PER_IMAGE[image.resolution];
  const base = { id: image.id, action: entry.action, credits: 0 };

  let taskId = entry.resumeTaskId;
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
  let release = await ctx.providerLimit.acquire();
  let done: { output: TaskOutput; credits: number; taskId: string } | undefined;
  try {
    while (!done) {
      if (taskId === undefined) {
        const created = await createTask(
          ctx,
          request,
          price,
          generation,
          seed,
          () => release,
          (r) => (release = r),
        );
        if ('outcome' in created) return { ...base, ...created };
        taskId = created.taskId;
      } else if (resumed) {
        ctx.emit({ type: 'task-resumed', id: image.id, taskId });
      }
      try {
        done = { ...(await pollTask(ctx, taskId, request)), taskId };
      } catch (error) {
        if (isPixlockError(error, 'PROVIDER_TASK_LOST', 'PROVIDER_TASK_FAILED'))
          await ctx.lock.clearPending(image.id);
        // A task recorded by an earlier run that the provider lost or failed is created again.
        if (resumed && isPixlockError(error, 'PROVIDER_TASK_LOST', 'PROVIDER_TASK_FAILED')) {
          ctx.logger.warn(
            `${image.id}: recorded task ${taskId} ${error.message}; creating a new one`,
          );
          taskId = undefined;
          resumed = false;
          continue;
        }
        throw error;
      }
    }
  } finally {
    release();
  }
  ctx.providerLimit.succeeded();

  ctx.emit({ type: 'image-stage', id: image.id, stage: 'downloading' });
  const { bytes, decoded } = await download(ctx, image.id, done.output);
  ctx.emit({ type: 'image-stage', id: image.id, stage: 'processing' });
  const originalSha = sha256(bytes.data);
  await ctx.store.adoptOriginal(bytes.path, originalSha, decoded.mediaType);
  const output = await writeOutputs(ctx, image, decoded, previous);
  await ctx.lock.setImage(image.id, {
    generation,
    provider: ctx.provider.name,
    model: ctx.manifest.provider.model,
    seed,
    taskId: done.taskId,
    credits: done.credits,
    generatedAt: ctx.clock.now().toISOString(),
    original: {
      sha256: originalSha,
      mediaType: decoded.mediaType,
      bytes: bytes.data.length,
      width: decoded.width,
      height: decoded.height,
    },
    output,
  });
  const outcome = resumed ? 'resumed' : entry.action === 'create' ? 'created' : 'regenerated';
  return { ...base, outcome, credits: done.credits, taskId: done.taskId };
}

type Created = { taskId: string } | Pick<ImageResult, 'outcome' | 'skipReason' | 'error'>;

async function createTask(
  ctx: RunContext,
  request: GenerationRequest,
  price: number,
  generation: string,
  seed: number,
  getRelease: () => () => void,
  setRelease: (release: () => void) => void,
): Promise<Created> {
  for (let attempt = 0; ; attempt++) {
    if (ctx.signal.aborted) return { outcome: 'interrupted' };
    if (ctx.stop) {
      return {
        outcome: 'skipped',
        skipReason: 'stopped',
        error: { code: ctx.stop.code, message: ctx.stop.message },
      };
    }
    if (ctx.maxCredits !== undefined && ctx.committedCredits + price > ctx.maxCredits) {
      return { outcome: 'skipped', skipReason: 'budget' };
    }
    ctx.committedCredits += price;
    const pending = {
      generation,
      provider: ctx.provider.name,
      seed,
      credits: price,
      createdAt: ctx.clock.now().toISOString(),
    };
    // Noted before it is sent, settled once its outcome is in the lock: a run killed in
    // between leaves the note, and the next run holds the image (see create-journal.ts).
    const paid = price > 0;
    if (paid) ctx.journal.sent(request.id, pending);
    let taskId: string;
    try {
      // The provider lets a create already on its way come back after a Ctrl-C (one short
      // request), so it is recorded rather than left a task that may be paid, unknown.
      ({ taskId } = await ctx.provider.createTask(request, { signal: ctx.signal }));
    } catch (error) {
      if (isPixlockError(error, 'PROVIDER_CREATE_UNCONFIRMED')) {
        // It may have been taken and charged (so it stays counted against the budget): it
        // is recorded without a task id, and later runs hold the image instead of paying
        // for it again. Should this write fail, the journal line stays and does the same.
        await ctx.lock.setPending(request.id, pending);
        if (paid) ctx.journal.settled(request.id);
        throw error;
      }
      // Any other failure is a clear "not taken": nothing is owed.
      ctx.committedCredits -= price;
      if (paid) ctx.journal.settled(request.id);
      if (isPixlockError(error, 'PROVIDER_RATE_LIMITED')) {
        ctx.providerLimit.rateLimited();
        getRelease()();
        const wait = error.extra.retryAfterMs ?? backoff(attempt, 250, 5000, ctx.random);
        ctx.emit({
          type: 'rate-limited',
          id: request.id,
          retryInMs: wait,
          target: ctx.providerLimit.target,
        });
        try {
          await ctx.clock.sleep(wait, ctx.signal);
        } catch {
          setRelease(() => {});
          return { outcome: 'interrupted' };
        }
        setRelease(await ctx.providerLimit.acquire());
        continue;
      }
      if (isPixlockError(error, 'PROVIDER_AUTH', 'PROVIDER_CREDITS')) ctx.stop ??= error;
      throw error;
    }
    // Paid for from here on: on disk before the first poll, so a run that dies finds it again
    // rather than pay twice. Only then is the journal line settled (a failed write leaves it).
    await ctx.lock.setPending(request.id, { taskId, ...pending });
    if (paid) ctx.journal.settled(request.id);
    ctx.emit({ type: 'task-created', id: request.id, taskId });
    return { taskId };
  }
}

async function pollTask(
  ctx: RunContext,
  taskId: string,
  request: GenerationRequest,
): Promise<{ output: TaskOutput; credits: number }> {
  const deadline = ctx.clock.now().getTime() + ctx.provider.timeoutMs;
  for (;;) {
    let status;
    try {
      status = await ctx.provider.pollTask(taskId, request, { signal: ctx.signal });
    } catch (error) {
      if (isPixlockError(error, 'PROVIDER_AUTH')) ctx.stop ??= error;
      // A busy provider is no reason to give up on a task that is already paid for.
      if (!isPixlockError(error, 'PROVIDER_RATE_LIMITED')) throw error;
      await ctx.clock.sleep(error.extra.retryAfterMs ?? ctx.provider.pollIntervalMs, ctx.signal);
      continue;
    }
    if (status.state === 'success') return { output: status.output, credits: status.creditsUsed };
    if (status.state === 'failed') {
      throw new PixlockError('PROVIDER_TASK_FAILED', `task ${taskId} failed: ${status.message}`, {
        details: { taskId, ...(status.code !== undefined && { providerCode: status.code }) },
      });
    }
    if (ctx.clock.now().getTime() > deadline) {
      throw new PixlockError(
        'PROVIDER_TIMEOUT',
        `task ${taskId} did not finish within ${Math.round(ctx.provider.timeoutMs / 1000)} s; it stays recorded and the next run resumes it`,
      );
    }
    await ctx.clock.sleep(ctx.provider.pollIntervalMs, ctx.signal);
  }
}

async function download(
  ctx: RunContext,
  id: string,
  output: TaskOutput,
): Promise<{ bytes: { path: string; data: Buffer }; decoded: DecodedOriginal }> {
  for (let attempt = 1; ; attempt++) {
    const temp = ctx.store.tempPath('.download');
    try {
      await ctx.provider.download(output, temp, { signal: ctx.signal });
      const data = await readFile(temp);
      const decoded = await ctx.cpuLimit(() => decodeOriginal(data));
      return { bytes: { path: temp, data }, decoded };
    } catch (error) {
      await ctx.store.removeTemp(temp);
      const retryable = isPixlockError(error, 'DOWNLOAD_INVALID', 'PROVIDER_UNAVAILABLE');
      if (!retryable || attempt >= DOWNLOAD_ATTEMPTS || ctx.signal.aborted) {
        throw new PixlockError(
          isPixlockError(error) ? error.code : 'DOWNLOAD_INVALID',
          `download failed after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${(error as Error).message}; the task stays recorded and the next run downloads it again`,
          { cause: error },
        );
      }
      ctx.emit({ type: 'retry', id, what: 'download', attempt, message: (error as Error).message });
      await ctx.clock.sleep(backoff(attempt - 1, 200, 3000, ctx.random), ctx.signal);
    }
  }
}

/** Exponential backoff with full jitter. */
export function backoff(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number,
): number {
  return Math.round(Math.min(capMs, baseMs * 2 ** attempt) * (0.5 + random() / 2));
}
