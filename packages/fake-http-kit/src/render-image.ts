import { createHash } from 'node:crypto';
import sharp from 'sharp';

/** Media types a fake encodes images as. */
export type ImageMediaType = 'image/png' | 'image/jpeg';

/** An RGB colour, each channel 0..255. */
export interface Rgb {
  r: number;
  g: number;
  b: number;
}

/**
 * A stable colour for a string. Images are painted with their prompt's colour, so a test can
 * tell which prompt an image on disk came from, and spot two images swapped.
 */
export function colorFor(text: string): Rgb {
  const d = createHash('sha256').update(text).digest();
  return { r: d[0] ?? 0, g: d[1] ?? 0, b: d[2] ?? 0 };
}

/** What {@link renderImage} paints. */
export interface RenderRequest {
  width: number;
  height: number;
  mediaType: ImageMediaType;
  /** Paints the background ({@link colorFor}). */
  prompt: string;
  /** Paints a band across the top: tells apart two images of one prompt (a task, seed, call). */
  variant: string;
}

/** Encodes a decodable image of exactly width×height: the prompt's colour, a variant band on top. */
export async function renderImage(req: RenderRequest): Promise<Buffer> {
  const band = {
    create: {
      width: req.width,
      height: Math.max(1, Math.floor(req.height / 8)),
      channels: 3 as const,
      background: colorFor(req.variant),
    },
  };
  const image = sharp({
    create: { width: req.width, height: req.height, channels: 3, background: colorFor(req.prompt) },
  })
    .composite([{ input: band, top: 0, left: 0 }])
    // composite() adds an alpha channel; a model's outputs are plain RGB.
    .removeAlpha();
  return req.mediaType === 'image/png'
    ? image.png({ compressionLevel: 6 }).toBuffer()
    : image.jpeg({ quality: 85 }).toBuffer();
}
