import { readFile } from 'node:fs/promises';
import { rgbaToThumbHash, thumbHashToRGBA } from 'thumbhash';
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

/**
 * Where placeholders are kept by key (the rendering's version and the image's sha256): a
 * project's cache (project/cache/placeholder-cache.ts).
 */
export interface PlaceholderCache {
  get(key: string): Promise<BlurPlaceholder | undefined>;
  /** Only a speed-up: never fails. */
  set(key: string, placeholder: BlurPlaceholder): Promise<void>;
}

/** Options of {@link blurPlaceholder}. */
export interface BlurPlaceholderOptions {
  /** Where results are kept by content hash (default: nowhere, computed every time). */
  cache?: PlaceholderCache;
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
  const key = `v${PLACEHOLDER_VERSION}-${hash}`;
  const cached = await options.cache?.get(key);
  if (cached) return cached;
  const result = await renderBlurPlaceholder(file);
  await options.cache?.set(key, result);
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
