import type { AspectRatio, Resolution } from './options.js';

const LONG_SIDE: Record<Resolution, number> = { '1k': 1024, '2k': 2048, '4k': 4096 };

/**
 * Pixel size for an aspect ratio at a resolution: the long side is 1024/2048/4096. Written
 * here again on purpose rather than imported from core: the fake stands for the server, and a
 * client that got sizes wrong must not be checked against its own arithmetic.
 */
export function imageSize(
  aspectRatio: AspectRatio,
  resolution: Resolution,
): { width: number; height: number } {
  const [w, h] = aspectRatio.split(':').map(Number) as [number, number];
  const long = LONG_SIDE[resolution];
  return w >= h
    ? { width: long, height: Math.round((long * h) / w) }
    : { width: Math.round((long * w) / h), height: long };
}
