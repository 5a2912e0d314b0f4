import { mediaTypeForSharpFormat } from '../assets/media-types.js';
import type { DecodedImage, EncodeSpec, ImageCodec } from '../engine/ports.js';
import { errorMessage, isPixlockError, PixlockError } from '../errors.js';
import { loadSharp } from '../util/load-sharp.js';

/** libvips' own errors say what failed, not in which step: say which, under a stable code. */
async function processing<T>(step: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isPixlockError(error)) throw error;
    throw new PixlockError('PROCESSING_FAILED', `cannot ${step}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}

/**
 * The {@link ImageCodec} the adapters hand the engine: sharp (libvips), loaded on first use
 * so a run with nothing to decode never pays for the native library.
 */
export function sharpCodec(): ImageCodec {
  return {
    async decode(bytes: Buffer): Promise<DecodedImage> {
      const sharp = await loadSharp();
      return processing('decode the image', async () => {
        const image = sharp(bytes, { failOn: 'truncated', limitInputPixels: 8192 * 8192 });
        const meta = await image.metadata();
        const mediaType = mediaTypeForSharpFormat(meta.format);
        if (!mediaType) throw new Error(`unsupported image format ${meta.format ?? 'unknown'}`);
        const { data, info } = await image.rotate().raw().toBuffer({ resolveWithObject: true });
        return { data, width: info.width, height: info.height, channels: info.channels, mediaType };
      });
    },
    async encode(image: DecodedImage, spec: EncodeSpec) {
      const sharp = await loadSharp();
      return processing(`encode ${spec.format}`, async () => {
        let pipeline = sharp(image.data, {
          raw: { width: image.width, height: image.height, channels: image.channels },
        });
        if (spec.width !== undefined || spec.height !== undefined) {
          pipeline = pipeline.resize({
            ...(spec.width !== undefined && { width: spec.width }),
            ...(spec.height !== undefined && { height: spec.height }),
            fit: spec.fit,
          });
        }
        const quality = spec.quality === undefined ? {} : { quality: spec.quality };
        pipeline =
          spec.format === 'avif'
            ? pipeline.avif(quality)
            : spec.format === 'webp'
              ? pipeline.webp(quality)
              : spec.format === 'jpeg'
                ? pipeline.jpeg({ ...quality, mozjpeg: true })
                : pipeline.png({ compressionLevel: 9, ...quality });
        const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
        return { data, width: info.width, height: info.height };
      });
    },
  };
}
