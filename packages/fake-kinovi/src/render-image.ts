import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { AspectRatio, OutputMediaType, Resolution } from './options.js';

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

/** An RGB colour, each channel 0..255. */
export interface Rgb {
  r: number;
  g: number;
  b: number;
}

/**
 * A stable colour for a string. Outputs are painted with the prompt's colour so a test can tell
 * which prompt an image on disk came from (and spot two images swapped).
 */
export function colorFor(text: string): Rgb {
  const d = createHash('sha256').update(text).digest();
  return { r: d[0] ?? 0, g: d[1] ?? 0, b: d[2] ?? 0 };
}

/** What {@link renderImage} paints. */
export interface RenderRequest {
  width: number;
  height: number;
  mediaType: OutputMediaType;
  /** Paints the background ({@link colorFor}). */
  prompt: string;
  /** Paints a band across the top, so two tasks for one prompt still give different bytes. */
  taskId: string;
}

/** Encodes a decodable image of exactly width×height: the prompt's colour with a task band on top. */
export async function renderImage(req: RenderRequest): Promise<Buffer> {
  const bandHeight = Math.max(1, Math.floor(req.height / 8));
  const image = sharp({
    create: { width: req.width, height: req.height, channels: 3, background: colorFor(req.prompt) },
  }).composite([
    {
      input: {
        create: {
          width: req.width,
          height: bandHeight,
          channels: 3,
          background: colorFor(req.taskId),
        },
      },
      top: 0,
      left: 0,
    },
  ]);
  // composite() adds an alpha channel; drop it so outputs are plain RGB like a model's.
  const flat = image.removeAlpha();
  return req.mediaType === 'image/png'
    ? flat.png({ compressionLevel: 6 }).toBuffer()
    : flat.jpeg({ quality: 85 }).toBuffer();
}
