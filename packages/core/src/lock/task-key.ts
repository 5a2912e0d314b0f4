import { checkImageId } from '../image-id.js';

/** Most candidates one image may have (`variants`). */
export const MAX_VARIANTS = 8;

/**
 * The key of one provider task of an image, in the lock's `pending` and in the journal: the
 * image id for its first candidate (so a lock from before variants reads as it is), and
 * `<id>#<slot>` for candidate slot 2-8. `#` never appears in an id, so keys never collide.
 */
export function taskKey(id: string, slot: number): string {
  return slot === 1 ? id : `${id}#${slot}`;
}

/** The image id and candidate slot a task key names, or the problem with it. */
export function parseTaskKey(key: string): { id: string; slot: number } | string {
  const hash = key.indexOf('#');
  const id = hash < 0 ? key : key.slice(0, hash);
  const problem = checkImageId(id);
  if (problem) return problem;
  if (hash < 0) return { id, slot: 1 };
  const suffix = key.slice(hash + 1);
  const slot = Number(suffix);
  if (!/^[2-8]$/.test(suffix)) {
    return `pending key "${key}": a candidate's key is <id>#<n> with n from 2 to ${MAX_VARIANTS}`;
  }
  return { id, slot };
}

/** The image id of a task key (the key itself for a first candidate). */
export function imageIdOf(key: string): string {
  const hash = key.indexOf('#');
  return hash < 0 ? key : key.slice(0, hash);
}

/** Every task key image `id` may have, first candidate first. */
export function taskKeysOf(id: string): string[] {
  return Array.from({ length: MAX_VARIANTS }, (_, i) => taskKey(id, i + 1));
}

/**
 * The seed candidate `slot` of an image with seed `seed` is drawn with: the image's own seed
 * for the first (so `variants: 1` is exactly an image without variants), and for the others
 * a step of an odd constant, so the eight seeds of one image are always distinct.
 */
export function candidateSeed(seed: number, slot: number): number {
  return (seed + (slot - 1) * 0x9e3779b9) % 2 ** 32;
}

/** Forgets every pending task of image `id` (it was recorded, or removed). */
export function dropImagePending(pending: Record<string, unknown>, id: string): void {
  delete pending[id];
  for (let slot = 2; slot <= MAX_VARIANTS; slot++) delete pending[`${id}#${slot}`];
}
