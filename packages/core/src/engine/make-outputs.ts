import { loadSharp } from '../util/load-sharp.js';
import type { LockedFile } from '../lock/lockfile.js';
import type { OutputOptions } from '../manifest/resolved-manifest.js';
import type { OutputFileSpec } from '../plan/output-files.js';
import { sha256 } from '../util/sha256.js';
import type { DecodedOriginal } from './decode-original.js';

/** One encoded output, ready to write. */
export interface EncodedOutput extends LockedFile {
  data: Buffer;
}

/** Encodes every output file of an image from its decoded original. */
export async function makeOutputs(
  original: DecodedOriginal,
  output: OutputOptions,
  files: OutputFileSpec[],
): Promise<EncodedOutput[]> {
  const sharp = await loadSharp();
  return Promise.all(
    files.map(async (spec) => {
      let pipeline = sharp(original.data, {
        raw: { width: original.width, height: original.height, channels: original.channels },
      });
      if (spec.width !== undefined || spec.height !== undefined) {
        pipeline = pipeline.resize({
          ...(spec.width !== undefined && { width: spec.width }),
          ...(spec.height !== undefined && { height: spec.height }),
          fit: output.fit,
        });
      }
      const quality = output.quality === undefined ? {} : { quality: output.quality };
      pipeline =
        output.format === 'avif'
          ? pipeline.avif(quality)
          : output.format === 'webp'
            ? pipeline.webp(quality)
            : output.format === 'jpeg'
              ? pipeline.jpeg({ ...quality, mozjpeg: true })
              : pipeline.png({ compressionLevel: 9, ...quality });
      const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
      return {
        path: spec.path,
        sha256: sha256(data),
        width: info.width,
        height: info.height,
        bytes: data.length,
        data,
      };
    }),
  );
}
