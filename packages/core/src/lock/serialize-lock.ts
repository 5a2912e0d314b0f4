import { emitYaml } from './emit-yaml.js';
import type { LockEntry, Lockfile, PendingTask } from './lockfile.js';

const HEADER =
  '# pixlock.lock: written by pixlock. Commit it; do not edit it by hand.\n' +
  '# It records how each image was generated and the hashes of every file made from it.\n';

/**
 * The lockfile's text: ids sorted, keys in a fixed order, so changing one image changes only
 * that image's lines.
 */
export function serializeLock(lock: Lockfile): string {
  const doc: Record<string, unknown> = {
    lockfileVersion: lock.lockfileVersion,
    images: sortedMap(lock.images, entryFields),
  };
  if (Object.keys(lock.pending).length > 0) doc.pending = sortedMap(lock.pending, pendingFields);
  return HEADER + emitYaml(doc);
}

function sortedMap<T>(map: Record<string, T>, fields: (v: T) => Record<string, unknown>) {
  const out: Record<string, unknown> = {};
  for (const id of Object.keys(map).sort()) out[id] = fields(map[id]!);
  return out;
}

function entryFields(e: LockEntry): Record<string, unknown> {
  return {
    generation: e.generation,
    provider: e.provider,
    model: e.model,
    seed: e.seed,
    taskId: e.taskId,
    credits: e.credits,
    generatedAt: e.generatedAt,
    original: {
      sha256: e.original.sha256,
      mediaType: e.original.mediaType,
      bytes: e.original.bytes,
      width: e.original.width,
      height: e.original.height,
    },
    output: {
      hash: e.output.hash,
      files: e.output.files.map((f) => ({
        path: f.path,
        sha256: f.sha256,
        width: f.width,
        height: f.height,
        bytes: f.bytes,
      })),
    },
  };
}

function pendingFields(p: PendingTask): Record<string, unknown> {
  return {
    taskId: p.taskId,
    generation: p.generation,
    provider: p.provider,
    seed: p.seed,
    credits: p.credits,
    createdAt: p.createdAt,
  };
}
