import { readFile } from 'node:fs/promises';
import { readCacheText } from '../disk/read-regular-file.js';
import path from 'node:path';
import { rgbaToThumbHash, thumbHashToRGBA } from 'thumbhash';
import { writeCacheFile } from '../project/cache/write-cache-file.js';
import { loadSharp } from '../util/load-sharp.js';
import { sha256 } from '../util/sha256.js';

/** Bump when the rendering changes, so cached placeholders are made again. */
const PLACEHOLDER_VERSION = 1;

/** A tiny stand-in for an image, shown blurred while the real one loads. */
export interface BlurPlaceholder {
  /** A small WebP as a `data:` URI (a few hundred bytes), for a CSS background or `src`. */
  dataUri: string;
  /** The ThumbHash, base64: for clients that render their own placeholder. */
  thumbhash: string;
}

/** Options of {@link blurPlaceholder}. */
export interface BlurPlaceholderOptions {
  /** Where results are kept by content hash, e.g. a project's `.pixlock/cache`. */
  cacheDir: string;
  /** The file's sha256 when already known (the lock has it); saves reading the file twice. */
  sha256?: string;
}

/**
 * Computes a blur-up placeholder for an image file, cached by the file's sha256 so a dev
 * server or a build pays for it once per content, whatever the path.
 */
export async function blurPlaceholder(
  file: string,
  options: BlurPlaceholderOptions,
): Promise<BlurPlaceholder> {
  const hash = options.sha256 ?? sha256(await readFile(file));
  const name = `placeholders/v${PLACEHOLDER_VERSION}-${hash}.json`;
  const cached = await readCached(path.join(options.cacheDir, name));
  if (cached) return cached;
  const result = await renderBlurPlaceholder(file);
  // Atomic (a dev server and a build may compute the same entry at once), through no link,
  // and only a speed-up: a cache that cannot be written (a full disk) is computed again.
  await writeCacheFile(options.cacheDir, name, JSON.stringify(result)).catch(() => undefined);
  return result;
}

/** The uncached computation: ThumbHash (at most 100×100 in), rendered back to a tiny WebP. */
export async function renderBlurPlaceholder(file: string): Promise<BlurPlaceholder> {
  const sharp = await loadSharp();
  const { data, info } = await sharp(file)
    .resize(100, 100, { fit: 'inside' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const hash = rgbaToThumbHash(info.width, info.height, data);
  // Rendering the hash rather than shrinking the image gives a smooth blur with no blocky
  // upscaling, and it is what a ThumbHash client would draw, so both look the same.
  const { w, h, rgba } = thumbHashToRGBA(hash);
  const webp = await sharp(Buffer.from(rgba), { raw: { width: w, height: h, channels: 4 } })
    .webp({ quality: 60, alphaQuality: 60 })
    .toBuffer();
  return {
    dataUri: `data:image/webp;base64,${webp.toString('base64')}`,
    thumbhash: Buffer.from(hash).toString('base64'),
  };
}

async function readCached(file: string): Promise<BlurPlaceholder | undefined> {
  try {
    const data = JSON.parse((await readCacheText(file)) ?? '') as Partial<BlurPlaceholder>;
    if (typeof data.dataUri === 'string' && typeof data.thumbhash === 'string') {
      return { dataUri: data.dataUri, thumbhash: data.thumbhash };
    }
  } catch {
    // Missing or broken: compute it again.
  }
  return undefined;
}
