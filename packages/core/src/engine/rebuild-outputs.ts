import { PixlockError } from '../errors.js';
import type { ResolvedImage } from '../manifest/resolved-manifest.js';
import type { PlanEntry } from '../plan/plan.js';
import { readOriginal } from './read-original.js';
import type { RunContext } from './run-context.js';
import type { ImageResult } from './run-types.js';
import { writeOutputs } from './write-outputs.js';

/**
 * Remakes an image's outputs from its kept original (reprocess, restore): read, decode,
 * every encode and write in one pipeline slot, so decoded pixels never wait in a queue.
 */
export async function rebuildOutputs(
  ctx: RunContext,
  entry: PlanEntry,
  image: ResolvedImage,
): Promise<ImageResult> {
  const locked = ctx.lock.current.images[entry.id];
  if (!locked) throw new PixlockError('ORIGINAL_MISSING', 'no lock entry to rebuild from');
  const output = await ctx.pipeline(async () => {
    ctx.signal.throwIfAborted();
    const bytes = await readOriginal(ctx.originals, entry.id, locked.original);
    const decoded = await ctx.codec.decode(bytes);
    return writeOutputs(ctx.codec, ctx.outputs, ctx.manifest.outDir, image, decoded, locked);
  });
  await ctx.lock.setImage(entry.id, { ...locked, output });
  return {
    id: entry.id,
    action: entry.action,
    credits: 0,
    outcome:
      entry.action === 'reprocess' ? 'reprocessed' : entry.action === 'move' ? 'moved' : 'restored',
  };
}
