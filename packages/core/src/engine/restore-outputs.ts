import type { LockEntry } from '../lock/lockfile.js';
import { mediaTypeForExtension } from '../media-types.js';
import type { RunContext } from './run-context.js';

/**
 * Restores the outputs `locked` names from the project's store (`store.outputs`), each
 * fetched under its sha256, verified by the store against it, and written atomically in
 * place; an output already in place with those very bytes is left as it is. Returns the paths
 * the store lacks (or holds damaged), which the caller encodes. Asks nothing of an object the
 * run's existence check found absent (the store's answers are remembered).
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
      ? await store.get({ kind: 'outputs', sha256: file.sha256, mediaType })
      : undefined;
    if (read?.status !== 'found') {
      lacking.add(file.path);
      continue;
    }
    await ctx.outputs.writeOutput(file.path, read.bytes);
  }
  return lacking;
}
