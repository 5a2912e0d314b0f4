import { loadSharp } from '../util/load-sharp.js';
import { PixlockError } from '../errors.js';

/** An original decoded to raw pixels once, so each output resizes from memory. */
export interface DecodedOriginal {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  /** The media type the bytes really are, whatever the server said. */
  mediaType: string;
}

const MEDIA_TYPES: Record<string, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  avif: 'image/avif',
  heif: 'image/heif',
  gif: 'image/gif',
};

/**
 * Decodes image bytes completely. A full decode, not a header read, is what catches a
 * truncated download or an HTML error page served as an image.
 */
export async function decodeOriginal(bytes: Buffer): Promise<DecodedOriginal> {
  const sharp = await loadSharp();
  try {
    const image = sharp(bytes, { failOn: 'truncated', limitInputPixels: 8192 * 8192 });
    const meta = await image.metadata();
    const mediaType = meta.format ? MEDIA_TYPES[meta.format] : undefined;
    if (!mediaType) throw new Error(`unsupported image format ${meta.format ?? 'unknown'}`);
    const { data, info } = await image.rotate().raw().toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: info.channels, mediaType };
  } catch (error) {
    const looksLikeHtml = /^\s*</.test(bytes.subarray(0, 64).toString('latin1'));
    const what = looksLikeHtml
      ? 'an HTML page, not an image'
      : `not a complete image (${(error as Error).message})`;
    throw new PixlockError('DOWNLOAD_INVALID', `the downloaded file is ${what}`, { cause: error });
  }
}
