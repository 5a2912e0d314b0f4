import { PixlockError } from '../errors.js';
import type { DecodedImage, ImageCodec } from './ports.js';

/**
 * Decodes downloaded bytes completely, or says plainly what they are instead: a full decode,
 * not a header read, is what catches a truncated download or an HTML error page.
 */
export async function verifyDownload(codec: ImageCodec, bytes: Buffer): Promise<DecodedImage> {
  try {
    return await codec.decode(bytes);
  } catch (error) {
    const looksLikeHtml = /^\s*</.test(bytes.subarray(0, 64).toString('latin1'));
    const what = looksLikeHtml
      ? 'an HTML page, not an image'
      : `not a complete image (${(error as Error).message})`;
    throw new PixlockError('DOWNLOAD_INVALID', `the downloaded file is ${what}`, { cause: error });
  }
}
