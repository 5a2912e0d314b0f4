import type { DecodedImage, EncodeSpec, ImageCodec } from '../engine/ports.js';
import { loadSharp } from '../util/load-sharp.js';

const MEDIA_TYPES: Record<string, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  avif: 'image/avif',
  heif: 'image/heif',
  gif: 'image/gif',
};

/**
 * The {@link ImageCodec} the adapters hand the engine: sharp (libvips), loaded on first use
 * so a run with nothing to decode never pays for the native library.
 */
export function sharpCodec(): ImageCodec {
  return {
    async decode(bytes: Buffer): Promise<DecodedImage> {
      const sharp = await loadSharp();
      const image = sharp(bytes, { failOn: 'truncated', limitInputPixels: 8192 * 8192 });
      const meta = await image.metadata();
      const mediaType = meta.format ? MEDIA_TYPES[meta.format] : undefined;
      if (!mediaType) throw new Error(`unsupported image format ${meta.format ?? 'unknown'}`);
      const { data, info } = await image.rotate().raw().toBuffer({ resolveWithObject: true });
      return { data, width: info.width, height: info.height, channels: info.channels, mediaType };
    },
    async encode(image: DecodedImage, spec: EncodeSpec) {
      const sharp = await loadSharp();
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
    },
  };
}
