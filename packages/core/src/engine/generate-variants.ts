import { PixlockError } from '../errors.js';
import type { LockedCandidate, LockEntry } from '../lock/lockfile.js';
import { candidateSeed } from '../lock/task-key.js';
import type { ResolvedImage } from '../manifest/resolved-manifest.js';
import { outputHash } from '../plan/hashes.js';
import { outputFiles } from '../manifest/output-files.js';
import type { PlanEntry } from '../plan/plan.js';
import { lockedSlots } from '../plan/plan-variants.js';
import { imagePrice } from '../pricing/price-table.js';
import { drawOriginal, type Drawn, type NotDrawn } from './draw-original.js';
import { imageGeneration } from './generate-image.js';
import { upstreamOriginals } from './image-references.js';
import { noteUnstored, pushRecorded } from './push-recorded.js';
import { readOriginal } from './read-original.js';
import type { RunContext } from './run-context.js';
import type { ImageResult } from './run-types.js';
import { writeOutputs } from './write-outputs.js';

/**
 * Makes an image with `variants`: draws the candidates the plan names (each its own provider
 * task, keyed `<id>#<n>` in `pending` so a run that dies resumes each rather than pay
 * twice), keeps every candidate's original, and makes the outputs from the chosen one only.
 * The image is recorded once every candidate is in; one that fails fails the image, and the
 * others stay recorded as paid tasks the next run resumes for free.
 */
export async function generateVariants(
  ctx: RunContext,
  entry: PlanEntry,
  image: ResolvedImage,
): Promise<ImageResult> {
  const plan = entry.candidates!;
  const previous = ctx.lock.current.images[image.id];
  const upstream = image.imageReferences.length > 0 ? upstreamOriginals(ctx, image) : undefined;
  const seed = entry.seed ?? Math.floor(ctx.random() * 2 ** 32);
  const generation = entry.generation ?? imageGeneration(ctx, image, seed, upstream);
  const price = imagePrice(ctx.manifest.provider, image.resolution);
  const base = { id: image.id, action: entry.action, credits: 0 };

  const settled = await Promise.allSettled(
    plan.tasks.map((t) =>
      drawOriginal(
        ctx,
        image,
        {
          key: t.key,
          seed: candidateSeed(seed, t.slot),
          imageSeed: seed,
          generation,
          ...(t.slot > 1 && { candidate: t.slot }),
          ...(t.resumeTaskId !== undefined && { resumeTaskId: t.resumeTaskId }),
          ...(upstream && { upstream }),
        },
        price,
        // Outputs come from the chosen candidate alone, once all are in: nothing to do here.
        () => Promise.resolve(undefined),
      ),
    ),
  );
  const credits = settled.reduce(
    (sum, s) => sum + (s.status === 'fulfilled' && !('outcome' in s.value) ? s.value.credits : 0),
    0,
  );
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  const drawn = settled.map((s) => (s as PromiseFulfilledResult<Drawn<void> | NotDrawn>).value);
  const notDrawn = drawn.find((d): d is NotDrawn => 'outcome' in d);
  if (notDrawn) return { ...base, ...notDrawn, credits };

  const now = ctx.clock.now().toISOString();
  const bySlot = new Map<number, LockedCandidate>();
  // What the lock holds and the plan keeps (the plan drew afresh whatever does not match).
  if (previous && previous.generation === generation) {
    const slots = lockedSlots(previous);
    slots.forEach((slot, i) => {
      if (slot !== undefined) bySlot.set(slot, candidatesOf(previous)[i]!);
    });
  }
  plan.tasks.forEach((t, i) => {
    const d = drawn[i] as Drawn<void>;
    bySlot.set(t.slot, {
      seed: candidateSeed(seed, t.slot),
      taskId: d.taskId,
      credits: d.credits,
      generatedAt: now,
      original: d.original,
    });
  });
  const candidates = plan.slots.map((slot) => {
    const c = bySlot.get(slot);
    if (!c)
      throw new PixlockError(
        'INTERNAL',
        `${image.id}: candidate ${slot} is neither kept nor drawn`,
      );
    return c;
  });
  const index = plan.slots.indexOf(plan.chosen);
  const chosen = candidates[index]!;
  const keepOutputs =
    previous !== undefined &&
    previous.original.sha256 === chosen.original.sha256 &&
    sameOutputs(previous, image, ctx.manifest.outDir);
  const output = keepOutputs
    ? previous.output
    : await ctx.pipeline(async () => {
        ctx.signal.throwIfAborted();
        const bytes = await readOriginal(ctx.originals, image.id, chosen.original);
        const decoded = await ctx.codec.decode(bytes);
        return writeOutputs(ctx.codec, ctx.outputs, ctx.manifest.outDir, image, decoded, previous);
      });
  const recorded = variantEntry(
    {
      generation,
      provider: ctx.provider.name,
      model: ctx.manifest.provider.model,
      seed,
      ...(upstream && { references: upstream.sha256 }),
    },
    candidates,
    index + 1,
    output,
  );
  const objects = noteUnstored(ctx, recorded, previous);
  await ctx.lock.setImage(image.id, recorded);
  for (const d of drawn) (d as Drawn<void>).settle();
  const unpushed = await pushRecorded(ctx, image.id, objects);
  const resumed = drawn.length > 0 && drawn.every((d) => (d as Drawn<void>).resumed);
  const outcome =
    plan.tasks.length === 0
      ? 'reprocessed'
      : resumed
        ? 'resumed'
        : entry.action === 'create'
          ? 'created'
          : 'regenerated';
  return { ...base, outcome, credits, taskId: chosen.taskId, ...(unpushed && { unpushed }) };
}

/** Every candidate of an entry: its `candidates`, or itself as the one first candidate. */
export function candidatesOf(entry: LockEntry): LockedCandidate[] {
  if (entry.candidates) return entry.candidates;
  const { seed, taskId, credits, generatedAt, original } = entry;
  return [{ seed, taskId, credits, generatedAt, original }];
}

/**
 * The lock entry of an image whose candidates are `candidates` and whose outputs come from
 * number `chosen` (from 1): the entry's task fields are the chosen candidate's. One candidate
 * drawn with the image's own seed is written as an entry without variants.
 */
export function variantEntry(
  image: Pick<LockEntry, 'generation' | 'provider' | 'model' | 'seed' | 'references'>,
  candidates: LockedCandidate[],
  chosen: number,
  output: LockEntry['output'],
): LockEntry {
  const c = candidates[chosen - 1]!;
  const plain = candidates.length === 1 && c.seed === image.seed;
  return {
    generation: image.generation,
    provider: image.provider,
    model: image.model,
    seed: image.seed,
    taskId: c.taskId,
    credits: c.credits,
    generatedAt: c.generatedAt,
    original: c.original,
    ...(image.references && { references: image.references }),
    output,
    ...(!plain && chosen !== 1 && { chosen }),
    ...(!plain && { candidates }),
  };
}

/** Whether the entry's outputs are what the image's output options make now. */
function sameOutputs(previous: LockEntry, image: ResolvedImage, outDir: string): boolean {
  const files = outputFiles(outDir, image.id, image.output, previous.original);
  return (
    previous.output.hash === outputHash(image.output, previous.original) &&
    previous.output.files.length === files.length &&
    files.every((f, i) => previous.output.files[i]!.path === f.path)
  );
}
