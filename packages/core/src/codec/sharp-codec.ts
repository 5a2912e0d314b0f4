import { mediaTypeForSharpFormat } from '../media-types.js';
import type { DecodedImage, EncodeSpec, ImageCodec } from '../engine/ports.js';
import { errorMessage, isPixlockError, PixlockError } from '../errors.js';
import { loadSharp } from '../util/load-sharp.js';
import { AVIF_ENCODER } from '../engine/encoder-settings.js';
import type { Sharp } from 'sharp';

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
            ...(spec.position !== undefined && { position: spec.position }),
            ...(spec.background !== undefined && { background: spec.background }),
          });
        }
        pipeline = encodeAs(pipeline, spec);
        const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
        return { data, width: info.width, height: info.height };
      });
    },
  };
}

/** The format step with only the settings the spec sets, so sharp's defaults apply otherwise. */
function encodeAs(pipeline: Sharp, spec: EncodeSpec): Sharp {
  const quality = spec.quality === undefined ? {} : { quality: spec.quality };
  const effort = spec.effort === undefined ? {} : { effort: spec.effort };
  const lossless = spec.lossless === undefined ? {} : { lossless: spec.lossless };
  switch (spec.format) {
    case 'avif':
      // Lossless asks sharp for 'iq', which it maps to 'ssim' itself.
      return pipeline.avif({ ...AVIF_ENCODER, ...quality, ...effort, ...lossless });
    case 'webp':
      return pipeline.webp({ ...quality, ...effort, ...lossless });
    case 'jpeg':
      // sharp's `mozjpeg` switch forces progressive scans, so a baseline JPEG spells out the
      // rest of mozjpeg's settings without it.
      return pipeline.jpeg(
        spec.progressive === false
          ? {
              ...quality,
              trellisQuantisation: true,
              overshootDeringing: true,
              quantisationTable: 3,
              progressive: false,
            }
          : { ...quality, mozjpeg: true },
      );
    case 'png':
      return pipeline.png({ compressionLevel: 9, ...quality });
  }
}
