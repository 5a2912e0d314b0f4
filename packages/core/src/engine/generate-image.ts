import type { LockEntry } from '../lock/lockfile.js';
import type { ResolvedImage } from '../manifest/resolved-manifest.js';
import { generationHash, generationInputs } from '../plan/hashes.js';
import type { PlanEntry } from '../plan/plan.js';
import { imagePrice } from '../pricing/price-table.js';
import { drawOriginal } from './draw-original.js';
import { noteUnstored, pushRecorded } from './push-recorded.js';
import { upstreamOriginals, type UpstreamOriginals } from './image-references.js';
import type { RunContext } from './run-context.js';
import type { ImageResult } from './run-types.js';
import { writeOutputs } from './write-outputs.js';

/**
 * Generates one image through the provider (draw-original.ts): one task, its original kept
 * and the outputs made from the decoded pixels in the same pipeline slot; last, the image is
 * recorded. Images with `variants` go through generate-variants.ts instead.
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
  const generation = entry.generation ?? imageGeneration(ctx, image, seed, upstream);
  const price = imagePrice(ctx.manifest.provider, image.resolution);
  const base = { id: image.id, action: entry.action, credits: 0 };

  let resumeTaskId = entry.resumeTaskId;
  if (resumeTaskId === undefined && entry.waitsFor !== undefined) {
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
    resumeTaskId = held;
  }
  const drawn = await drawOriginal(
    ctx,
    image,
    {
      key: image.id,
      seed,
      imageSeed: seed,
      generation,
      ...(resumeTaskId !== undefined && { resumeTaskId }),
      ...(upstream && { upstream }),
    },
    price,
    (decoded) =>
      writeOutputs(ctx.codec, ctx.outputs, ctx.manifest.outDir, image, decoded, previous),
  );
  if ('outcome' in drawn) return { ...base, ...drawn };
  // Images built on this one send it as this URL (a provider that takes references inline
  // gets the original's bytes instead).
  if (drawn.url !== undefined && ctx.provider.capabilities.references !== 'inline') {
    ctx.graph.resultUrls.set(image.id, { url: drawn.url, sha256: drawn.original.sha256 });
  }
  const entryOf: LockEntry = {
    generation,
    provider: ctx.provider.name,
    model: ctx.manifest.provider.model,
    seed,
    taskId: drawn.taskId,
    credits: drawn.credits,
    generatedAt: ctx.clock.now().toISOString(),
    original: drawn.original,
    ...(upstream && { references: upstream.sha256 }),
    output: drawn.made,
  };
  const objects = noteUnstored(ctx, entryOf, previous);
  await ctx.lock.setImage(image.id, entryOf);
  drawn.settle();
  const unpushed = await pushRecorded(ctx, image.id, objects);
  const outcome = drawn.resumed ? 'resumed' : entry.action === 'create' ? 'created' : 'regenerated';
  return {
    ...base,
    outcome,
    credits: drawn.credits,
    taskId: drawn.taskId,
    ...(unpushed && { unpushed }),
  };
}

/** The generation hash of an image whose seed was chosen (or originals upstream drawn) just now. */
export function imageGeneration(
  ctx: RunContext,
  image: ResolvedImage,
  seed: number,
  upstream: UpstreamOriginals | undefined,
): string {
  return generationHash(
    generationInputs(
      image,
      ctx.manifest.provider,
      seed,
      (img, ref) => ctx.referenceHash(img.sourceFile, ref),
      (id) => upstream?.sha256[id],
    ),
  );
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
