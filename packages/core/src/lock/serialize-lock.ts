import { emitYamlEntry } from './emit-yaml.js';
import { LOCK_FIELD_ORDER, type FieldOrder } from './lock-field-order.js';
import type { Lockfile } from './lockfile.js';

const HEADER =
  '# pixlock.lock: written by pixlock. Commit it; do not edit it by hand.\n' +
  '# It records how each image was generated and the hashes of every file made from it.\n';

/**
 * The lockfile's text: ids sorted, keys in the schema's order (lock-field-order.ts), so
 * changing one image changes only that image's lines. Fields the schema does not know are
 * left out, so nothing a hand edit added is carried along.
 *
 * Written straight from the lock's own objects, one string per image: at 100,000 images an
 * ordered copy of the lock and one string per line (3 million) made the end of a run need
 * several times the memory of the run itself.
 */
export function serializeLock(lock: Lockfile): string {
  const parts = [HEADER + emitYamlEntry('lockfileVersion', lock.lockfileVersion, 0)];
  section(parts, 'images', lock.images, LOCK_FIELD_ORDER.images);
  if (Object.keys(lock.pending).length > 0) {
    section(parts, 'pending', lock.pending, LOCK_FIELD_ORDER.pending);
  }
  return parts.join('\n') + '\n';
}

function section(
  parts: string[],
  name: string,
  map: Record<string, unknown>,
  order: FieldOrder,
): void {
  const ids = writeOrder(Object.keys(map));
  if (ids.length === 0) {
    parts.push(`${name}: {}`);
    return;
  }
  parts.push(`${name}:`);
  for (const id of ids) {
    if (map[id] !== undefined) parts.push(emitYamlEntry(id, map[id], 2, order));
  }
}

/**
 * Ids sorted, as the lock has always had them: it used to be emitted from a sorted copy, an
 * object, and an object lists integer-like keys ("0", "17") first, in numeric order. Kept, so
 * no existing lock changes.
 */
function writeOrder(ids: string[]): string[] {
  const indexes: string[] = [];
  const others: string[] = [];
  for (const id of ids) (isArrayIndex(id) ? indexes : others).push(id);
  indexes.sort((a, b) => Number(a) - Number(b));
  return indexes.length === 0 ? others.sort() : [...indexes, ...others.sort()];
}

/** What JavaScript orders first among an object's keys: "0" to "4294967294", canonical. */
function isArrayIndex(id: string): boolean {
  return /^(0|[1-9][0-9]{0,9})$/.test(id) && Number(id) < 2 ** 32 - 1;
}
