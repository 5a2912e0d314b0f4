import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { colorFor, renderImage } from './render-image.js';

describe('renderImage', () => {
  it('encodes decodable PNG and JPEG of the exact size, painted with the prompt colour', async () => {
    for (const mediaType of ['image/png', 'image/jpeg'] as const) {
      const bytes = await renderImage({
        width: 300,
        height: 200,
        mediaType,
        prompt: 'p',
        variant: 't',
      });
      const meta = await sharp(bytes).metadata();
      expect(meta).toMatchObject({
        format: mediaType === 'image/png' ? 'png' : 'jpeg',
        width: 300,
        height: 200,
        channels: 3,
      });
      const { data } = await sharp(bytes)
        .extract({ left: 0, top: 150, width: 1, height: 1 })
        .raw()
        .toBuffer({ resolveWithObject: true });
      const want = colorFor('p');
      const got = [...data];
      [want.r, want.g, want.b].forEach((c, i) =>
        expect(Math.abs((got[i] ?? -99) - c)).toBeLessThan(8),
      );
    }
  });
});
