import { emitYaml } from './emit-yaml.js';
import { LOCK_FIELD_ORDER, type FieldOrder } from './lock-field-order.js';
import type { Lockfile } from './lockfile.js';

const HEADER =
  '# pixlock.lock: written by pixlock. Commit it; do not edit it by hand.\n' +
  '# It records how each image was generated and the hashes of every file made from it.\n';

/**
 * The lockfile's text: ids sorted, keys in the schema's order (lock-field-order.ts), so
 * changing one image changes only that image's lines. Fields the schema does not know are
 * left out, so nothing a hand edit added is carried along.
 */
export function serializeLock(lock: Lockfile): string {
  const doc: Record<string, unknown> = {
    lockfileVersion: lock.lockfileVersion,
    images: sortedMap(lock.images, LOCK_FIELD_ORDER.images),
  };
  if (Object.keys(lock.pending).length > 0) {
    doc.pending = sortedMap(lock.pending, LOCK_FIELD_ORDER.pending);
  }
  return HEADER + emitYaml(doc);
}

function sortedMap(map: Record<string, unknown>, order: FieldOrder): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const id of Object.keys(map).sort()) out[id] = ordered(map[id], order);
  return out;
}

function ordered(value: unknown, order: FieldOrder): unknown {
  if (Array.isArray(value)) return value.map((v) => ordered(v, order));
  if (value === null || typeof value !== 'object') return value;
  const from = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, child] of order) {
    if (from[key] !== undefined) out[key] = child ? ordered(from[key], child) : from[key];
  }
  return out;
}
