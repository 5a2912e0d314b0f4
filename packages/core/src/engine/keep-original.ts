import type { LockedOriginal } from '../lock/lockfile.js';
import type { TaskOutput } from '../providers/image-provider.js';
import { sha256 } from '../util/sha256.js';
import { downloadOriginal } from './download-original.js';
import type { DecodedImage } from './ports.js';
import type { RunContext } from './run-context.js';

/** An original kept, and what was made from it in the same pipeline slot. */
export interface KeptOriginal<T> {
  original: LockedOriginal;
  made: T;
}

/**
 * In one pipeline slot: gets a finished task's image (downloaded, or written from the bytes
 * it came as), verifies it by decoding it whole, keeps it as an original under its hash and
 * hands the decoded pixels to `then`. Only sizes leave the slot: the pixels and bytes are
 * garbage once it ends, which is what bounds memory.
 */
export function keepOriginal<T>(
  ctx: RunContext,
  imageId: string,
  output: TaskOutput,
  then: (decoded: DecodedImage) => Promise<T>,
): Promise<KeptOriginal<T>> {
  // Not cut short by an abort here: the image is paid for and done, and the download is
  // given the run's signal, so a provider that honours it stops promptly anyway.
  return ctx.pipeline(async () => {
    ctx.emit({ type: 'image-stage', id: imageId, stage: 'downloading' });
    const { tempPath, bytes, decoded } = await downloadOriginal(ctx, imageId, output);
    ctx.emit({ type: 'image-stage', id: imageId, stage: 'processing' });
    const originalSha = sha256(bytes);
    // Kept before anything is made from it: the store takes the verified download (a local
    // one moves it into place).
    await ctx.originals.put(
      { sha256: originalSha, mediaType: decoded.mediaType },
      { file: tempPath, bytes },
    );
    // Whatever the store did not move into place (a store kept elsewhere copies it).
    await ctx.temps.removeTemp(tempPath);
    const made = await then(decoded);
    const original: LockedOriginal = {
      sha256: originalSha,
      mediaType: decoded.mediaType,
      bytes: bytes.length,
      width: decoded.width,
      height: decoded.height,
    };
    return { original, made };
  });
}
