import type { Lockfile } from '../lock/lockfile.js';
import type { OutputFormat } from '../manifest/schema.js';
import type { ResolvedImage } from '../manifest/resolved-manifest.js';
import { originalSize, outputFiles, type PixelSize } from '../manifest/output-files.js';
import { PROVIDER_ACTIONS, type PlanEntry } from '../plan/plan-types.js';

/** What one image (or a component, or a shard) costs a runner in a run. */
export interface Work {
  /** Provider tasks to create (a resumed one is polled, not created: 0). */
  tasks: number;
  /** Estimated credits, in the provider's unit (what `plan` estimates). */
  credits: number;
  /** Encoding to do, in units of one megapixel encoded as WebP (see {@link FORMAT_COST}). */
  encode: number;
}

/**
 * Encoding time per megapixel, relative to WebP at its defaults: 2048×1152 from raw pixels
 * with sharp 0.35 on one core of this project's machine, pixlock's settings (AVIF effort 2,
 * 4:4:4; WebP effort 4; mozjpeg; palette PNG): 513, 184, 122 and 332 ms.
 */
export const FORMAT_COST: Readonly<Record<OutputFormat, number>> = {
  avif: 2.8,
  webp: 1,
  jpeg: 0.7,
  png: 1.8,
};

/** Actions that write every output of the image. */
const ENCODES = new Set(['create', 'regenerate', 'reprocess', 'restore']);

/** No work. */
export const NO_WORK: Readonly<Work> = { tasks: 0, credits: 0, encode: 0 };

/**
 * The work a plan entry gives a runner: the provider tasks it creates, its credits and the
 * outputs it encodes. A `move` copies files (checked bytes) and counts as none.
 */
export function entryWork(
  entry: PlanEntry,
  image: ResolvedImage,
  lock: Lockfile,
  outDir: string,
): Work {
  const drawn = PROVIDER_ACTIONS.has(entry.action) && entry.unconfirmedSince === undefined;
  const tasks = !drawn
    ? 0
    : entry.candidates
      ? entry.candidates.tasks.filter((t) => t.resumeTaskId === undefined).length
      : entry.resumeTaskId === undefined
        ? 1
        : 0;
  const encode = ENCODES.has(entry.action) ? encodeCost(image, lock, outDir, entry.generation) : 0;
  return { tasks, credits: entry.credits, encode };
}

/**
 * What encoding every output of the image costs ({@link FORMAT_COST} × megapixels), at the
 * size of its locked original when it is kept, else the size its resolution gives.
 */
export function encodeCost(
  image: ResolvedImage,
  lock: Lockfile,
  outDir: string,
  generation?: string,
): number {
  const locked = lock.images[image.id];
  const original: PixelSize =
    locked && (generation === undefined || locked.generation === generation)
      ? locked.original
      : originalSize(image.aspectRatio, image.resolution);
  let cost = 0;
  for (const file of outputFiles(outDir, image.id, image.output, original)) {
    const width =
      file.width ??
      (file.height ? (file.height * original.width) / original.height : original.width);
    const height = file.height ?? (width * original.height) / original.width;
    cost += (FORMAT_COST[file.format] * width * height) / 1e6;
  }
  return cost;
}

/** The sum of works. */
export function addWork(a: Work, b: Work): Work {
  return { tasks: a.tasks + b.tasks, credits: a.credits + b.credits, encode: a.encode + b.encode };
}
