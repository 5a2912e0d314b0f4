import type { ResolvedImage } from '../manifest/resolved-manifest.js';
import { generationHash, generationInputs } from '../plan/hashes.js';
import type { PlanEntry } from '../plan/plan.js';
import { imageCredits } from '../plan/pricing.js';
import { drawOriginal } from './draw-original.js';
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
  const seed = entry.seed ?? Math.floor(ctx.random() * 2 ** 32);
  const generation = entry.generation ?? imageGeneration(ctx, image, seed);
  const price = imageCredits(ctx.manifest.provider.name, image.resolution);
  const base = { id: image.id, action: entry.action, credits: 0 };
  const drawn = await drawOriginal(
    ctx,
    image,
    {
      key: image.id,
      seed,
      imageSeed: seed,
      generation,
      ...(entry.resumeTaskId !== undefined && { resumeTaskId: entry.resumeTaskId }),
    },
    price,
    (decoded) => writeOutputs(ctx.codec, ctx.store, ctx.manifest.outDir, image, decoded, previous),
  );
  if ('outcome' in drawn) return { ...base, ...drawn };
  await ctx.lock.setImage(image.id, {
    generation,
    provider: ctx.provider.name,
    model: ctx.manifest.provider.model,
    seed,
    taskId: drawn.taskId,
    credits: drawn.credits,
    generatedAt: ctx.clock.now().toISOString(),
    original: drawn.original,
    output: drawn.made,
  });
  const outcome = drawn.resumed ? 'resumed' : entry.action === 'create' ? 'created' : 'regenerated';
  return { ...base, outcome, credits: drawn.credits, taskId: drawn.taskId };
}

/** The generation hash of an image whose seed was chosen just now. */
export function imageGeneration(ctx: RunContext, image: ResolvedImage, seed: number): string {
  return generationHash(
    generationInputs(image, ctx.manifest.provider, seed, (img, ref) =>
      ctx.referenceHash(img.sourceFile, ref),
    ),
  );
}
