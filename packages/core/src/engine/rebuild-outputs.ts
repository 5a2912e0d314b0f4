import { PixlockError } from '../errors.js';
import type { ResolvedImage } from '../manifest/resolved-manifest.js';
import type { PlanEntry } from '../plan/plan.js';
import { noteUnstored, pushRecorded } from './push-recorded.js';
import { readOriginal } from './read-original.js';
import { restoreOutputs } from './restore-outputs.js';
import type { RunContext } from './run-context.js';
import type { ImageResult } from './run-types.js';
import { writeOutputs } from './write-outputs.js';

/**
 * Remakes an image's outputs from its kept original (reprocess, restore): read, decode,
 * every encode and write in one pipeline slot, so decoded pixels never wait in a queue.
 *
 * A restore with a store that keeps outputs (`store.outputs`) first fetches them from it: only
 * what the store lacks is encoded, the original fetched only then, and what was encoded is
 * pushed. A reprocess pushes the outputs it made.
 */
export async function rebuildOutputs(
  ctx: RunContext,
  entry: PlanEntry,
  image: ResolvedImage,
): Promise<ImageResult> {
  const locked = ctx.lock.current.images[entry.id];
  if (!locked) throw new PixlockError('ORIGINAL_MISSING', 'no lock entry to rebuild from');
  const outcome =
    entry.action === 'reprocess' ? 'reprocessed' : entry.action === 'move' ? 'moved' : 'restored';
  const base = { id: entry.id, action: entry.action, credits: 0, outcome } as const;
  const lacking =
    entry.action === 'restore' && ctx.objects?.outputs
      ? await restoreOutputs(ctx, locked)
      : undefined;
  if (lacking?.size === 0) return base;
  const output = await ctx.pipeline(async () => {
    ctx.signal.throwIfAborted();
    const bytes = await readOriginal(ctx.originals, entry.id, locked.original);
    const decoded = await ctx.codec.decode(bytes);
    return writeOutputs(
      ctx.codec,
      ctx.outputs,
      ctx.manifest.outDir,
      image,
      decoded,
      locked,
      lacking,
    );
  });
  const rebuilt = { ...locked, output };
  // Restored: what was encoded is what the store lacked. Otherwise, what is new.
  const objects = lacking
    ? noteUnstored(ctx, rebuilt, undefined, (o) => o.kind === 'outputs' && lacking.has(o.file))
    : noteUnstored(ctx, rebuilt, locked);
  await ctx.lock.setImage(entry.id, rebuilt);
  const unpushed = await pushRecorded(ctx, entry.id, objects);
  return { ...base, ...(unpushed && { unpushed }) };
}
