import { PixlockError } from '../errors.js';
import type { ResolvedImage } from '../manifest/resolved-manifest.js';
import type { PlanEntry } from '../plan/plan.js';
import { rebuildOutputs } from './rebuild-outputs.js';
import { removeOldFolders } from './remove-old-folders.js';
import type { RunContext } from './run-context.js';
import type { ImageResult } from './run-types.js';

/**
 * Moves an image's outputs to the current outDir (a `move`, planned when outDir changed):
 * each file's bytes, read back and checked against the sha256 the lock records, are written
 * at the new place, the old file removed (the store removes only those bytes, and nothing the
 * manifest reads), and the lock follows. When a file is found neither at its old place nor at
 * its new one as locked, every output is made again from the kept original instead. Nothing
 * is paid; nothing is written outside outDir.
 *
 * A kill at any point leaves a state the next plan finishes: files already at the new place
 * count as moved (planMove looks there too), and the lock is changed last.
 */
export async function moveOutputs(
  ctx: RunContext,
  entry: PlanEntry,
  image: ResolvedImage,
): Promise<ImageResult> {
  const locked = ctx.lock.current.images[entry.id];
  const moves = entry.moves ?? [];
  if (!locked || locked.output.files.length !== moves.length)
    throw new PixlockError('INTERNAL', 'a move planned against another lock entry');
  const moved = await ctx.pipeline(async () => {
    ctx.signal.throwIfAborted();
    for (let i = 0; i < moves.length; i++) {
      const { from, to } = moves[i]!;
      const { sha256 } = locked.output.files[i]!;
      if (await ctx.outputs.readOutput(to, sha256)) continue;
      const bytes = await ctx.outputs.readOutput(from, sha256);
      if (!bytes) return false;
      await ctx.outputs.writeOutput(to, bytes);
    }
    const removed: string[] = [];
    for (let i = 0; i < moves.length; i++) {
      const { from } = moves[i]!;
      if (await ctx.outputs.removeOutput(from, locked.output.files[i]!.sha256)) removed.push(from);
    }
    await removeOldFolders(ctx.outputs, removed, entry.id, ctx.manifest.outDir);
    return true;
  });
  if (!moved) {
    const rebuilt = await rebuildOutputs(ctx, entry, image);
    return { ...rebuilt, outcome: 'moved' };
  }
  const files = locked.output.files.map((f, i) => ({ ...f, path: moves[i]!.to }));
  await ctx.lock.setImage(entry.id, { ...locked, output: { ...locked.output, files } });
  return { id: entry.id, action: entry.action, credits: 0, outcome: 'moved' };
}
