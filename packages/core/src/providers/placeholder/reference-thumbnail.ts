import { loadSharp } from '../../util/load-sharp.js';

/** Side in pixels of the thumbnail a placeholder keeps of each reference. */
export const THUMBNAIL_SIZE = 24;

/**
 * A tiny square of a reference image's pixels, raw RGB as base64: small enough to travel in
 * the placeholder's task URL, and derived from the pixels only (decoded, flattened, resized
 * with sharp's default kernel), so the same original always gives the same thumbnail.
 */
export async function referenceThumbnail(bytes: Buffer): Promise<string> {
  const sharp = await loadSharp();
  const raw = await sharp(bytes, { limitInputPixels: 8192 * 8192 })
    .flatten({ background: '#000000' })
    .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'cover' })
    .removeAlpha()
    .raw()
    .toBuffer();
  return raw.toString('base64');
}
