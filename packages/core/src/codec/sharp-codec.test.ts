import { describe, expect, it } from 'vitest';
import { isPixlockError } from '../errors.js';
import { sharpCodec } from './sharp-codec.js';

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
});
