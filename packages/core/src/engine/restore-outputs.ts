import { isPixlockError } from '../errors.js';
import type { LockEntry } from '../lock/lockfile.js';
import { mediaTypeForExtension } from '../media-types.js';
import type { OriginalRead } from './ports.js';
import type { RunContext } from './run-context.js';

/**
 * Restores the outputs `locked` names from the project's store (`store.outputs`), each
 * fetched under its sha256, verified by the store against it, and written atomically in
 * place; an output already in place with those very bytes is left as it is. Returns the paths
 * the store lacks (or holds damaged), which the caller encodes. Asks nothing of an object the
 * run's existence check found absent (the store's answers are remembered). A store that is
 * down (unreachable after its retries, or denied) is noted for the run and asked nothing more:
 * the caller encodes from the original where this machine has it.
 */
export async function restoreOutputs(ctx: RunContext, locked: LockEntry): Promise<Set<string>> {
  const store = ctx.objects;
  const lacking = new Set<string>();
  for (const file of locked.output.files) {
    if (!store?.outputs) {
      lacking.add(file.path);
      continue;
    }
    if (await ctx.outputs.readOutput(file.path, file.sha256)) continue;
    const mediaType = mediaTypeForExtension(file.path);
    const read = mediaType
      ? await fetchOutput(ctx, { kind: 'outputs', sha256: file.sha256, mediaType })
      : undefined;
    if (read?.status !== 'found') {
      lacking.add(file.path);
      continue;
    }
    await ctx.outputs.writeOutput(file.path, read.bytes);
  }
  return lacking;
}

async function fetchOutput(
  ctx: RunContext,
  object: { kind: 'outputs'; sha256: string; mediaType: string },
): Promise<OriginalRead | undefined> {
  if (ctx.storeDown) return undefined;
  try {
    return await ctx.objects!.get(object);
  } catch (error) {
    if (!isPixlockError(error, 'STORE_UNREACHABLE', 'STORE_DENIED')) throw error;
    if (!ctx.storeDown) {
      ctx.storeDown = error;
      ctx.logger.warn(
        `${ctx.objects!.name} failed (${error.code}): outputs are made from the originals here instead`,
      );
    }
    return undefined;
  }
}
