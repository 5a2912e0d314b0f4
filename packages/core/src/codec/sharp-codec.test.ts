import { describe, expect, it } from 'vitest';
import { isPixlockError } from '../errors.js';
import sharp from 'sharp';
import type { DecodedImage } from '../engine/ports.js';
import { DEFAULT_AVIF_EFFORT, encoderSettings } from '../engine/encoder-settings.js';
import { sharpCodec } from './sharp-codec.js';

/** 200×100: a left half black, a right half white (a detail only on the right). */
function halves(): DecodedImage {
  const data = Buffer.alloc(200 * 100 * 3);
  for (let y = 0; y < 100; y++)
    for (let x = 100; x < 200; x++) {
      // Busy noise on the right: what an entropy crop keeps.
      const v = (x * 7919 + y * 104729) % 251;
      data.fill(v, (y * 200 + x) * 3, (y * 200 + x) * 3 + 3);
    }
  return { data, width: 200, height: 100, channels: 3, mediaType: 'image/png' };
}

async function mean(bytes: Buffer): Promise<number> {
  const stats = await sharp(bytes).stats();
  return stats.channels[0]!.mean;
}

describe('sharpCodec', () => {
  it('raises PROCESSING_FAILED, naming the step, for bytes that are no image', async () => {
    const error: unknown = await sharpCodec()
      .decode(Buffer.from('<html>not an image</html>'))
      .catch((e: unknown) => e);
    expect(isPixlockError(error, 'PROCESSING_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/^cannot decode the image: /);
  });

  it('raises PROCESSING_FAILED for pixels that do not match their stated size', async () => {
    const image = {
      data: Buffer.alloc(10),
      width: 64,
      height: 64,
      channels: 3 as const,
      mediaType: 'image/png',
    };
    const error: unknown = await sharpCodec()
      .encode(image, { format: 'webp', fit: 'cover' })
      .catch((e: unknown) => e);
    expect(isPixlockError(error, 'PROCESSING_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/^cannot encode webp: /);
  });

  it('decodes what it encoded, with the media type from the one table', async () => {
    const codec = sharpCodec();
    const image = {
      data: Buffer.alloc(8 * 4 * 3, 200),
      width: 8,
      height: 4,
      channels: 3 as const,
      mediaType: 'image/png',
    };
    const png = await codec.encode(image, { format: 'png', fit: 'cover' });
    const back = await codec.decode(png.data);
    expect([back.width, back.height, back.mediaType]).toEqual([8, 4, 'image/png']);
  });

  it('crops a cover fit where position says: a gravity or entropy', async () => {
    const codec = sharpCodec();
    const spec = { format: 'png', fit: 'cover', width: 50, height: 50 } as const;
    const west = await codec.encode(halves(), { ...spec, position: 'west' });
    const east = await codec.encode(halves(), { ...spec, position: 'east' });
    const entropy = await codec.encode(halves(), { ...spec, position: 'entropy' });
    expect(await mean(west.data)).toBeLessThan(2);
    expect(await mean(east.data)).toBeGreaterThan(50);
    expect(await mean(entropy.data)).toBeGreaterThan(50);
  });

  it('fills a contain fit with the background colour', async () => {
    const codec = sharpCodec();
    const out = await codec.encode(halves(), {
      format: 'png',
      fit: 'contain',
      width: 100,
      height: 100,
      background: '#ff0000',
    });
    const { data, info } = await sharp(out.data).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([100, 100]);
    expect([...data.subarray(0, 3)]).toEqual([255, 0, 0]); // the top bar
  });

  it('writes progressive JPEG by default as mozjpeg does, baseline and lossless WebP when asked', async () => {
    const codec = sharpCodec();
    const image = halves();
    const progressive = await codec.encode(image, { format: 'jpeg', fit: 'cover' });
    const baseline = await codec.encode(image, {
      format: 'jpeg',
      fit: 'cover',
      progressive: false,
    });
    expect((await sharp(progressive.data).metadata()).isProgressive).toBe(true);
    expect((await sharp(baseline.data).metadata()).isProgressive).toBe(false);
    const lossless = await codec.encode(image, { format: 'webp', fit: 'cover', lossless: true });
    const { data } = await sharp(lossless.data).raw().toBuffer({ resolveWithObject: true });
    expect(data.equals(image.data)).toBe(true);
  });

  it('takes the settings of each format over the shared ones, with a fast AVIF effort', () => {
    const output = {
      format: 'avif' as const,
      fit: 'cover' as const,
      quality: 70,
      avif: { quality: 45 },
      jpeg: { progressive: true },
      webp: { effort: 6, lossless: true },
    };
    expect(encoderSettings(output, 'avif')).toEqual({ quality: 45, effort: DEFAULT_AVIF_EFFORT });
    expect(encoderSettings(output, 'jpeg')).toEqual({ quality: 70, progressive: true });
    expect(encoderSettings(output, 'webp')).toEqual({ quality: 70, effort: 6, lossless: true });
    expect(encoderSettings({ ...output, avif: { effort: 7 } }, 'avif').effort).toBe(7);
    expect(DEFAULT_AVIF_EFFORT).toBeLessThan(4); // sharp's own default took 8.8 s at 2k
  });

  it('encodes AVIF with pinned settings: the bytes of sharp 0.35 today, not of its SSIM tuning', async () => {
    const image = halves();
    const raw = () =>
      sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
    const mine = await sharpCodec().encode(image, {
      format: 'avif',
      fit: 'cover',
      ...encoderSettings({ format: 'avif', quality: 80, fit: 'cover' }, 'avif'),
    });
    // Pinned to what sharp does by default now: existing locks keep their bytes...
    const byDefault = await raw().avif({ quality: 80, effort: DEFAULT_AVIF_EFFORT }).toBuffer();
    expect(mine.data.equals(byDefault)).toBe(true);
    // ...and a sharp whose default moved (back to libaom's SSIM tuning) would not change them.
    const ssimTuned = await raw()
      .avif({ quality: 80, effort: DEFAULT_AVIF_EFFORT, tune: 'ssim' })
      .toBuffer();
    expect(mine.data.equals(ssimTuned)).toBe(false);
  });
});
