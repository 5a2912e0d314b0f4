import type { ImageCodec } from '../ports.js';

/**
 * A codec without pixels: an "image" is the text `IMG:<w>x<h>`; anything else fails to decode,
 * as a truncated file or an HTML page would.
 */
export function fakeCodec(): ImageCodec {
  return {
    async decode(bytes) {
      const match = /^IMG:(\d+)x(\d+)$/.exec(bytes.toString('latin1'));
      if (!match) throw new Error('not an image');
      return {
        data: Buffer.alloc(0),
        width: Number(match[1]),
        height: Number(match[2]),
        channels: 3,
        mediaType: 'image/png',
      };
    },
    async encode(image, spec) {
      const width = spec.width ?? image.width;
      const height = spec.height ?? Math.round((image.height * width) / image.width);
      return { data: Buffer.from(`${spec.format}:${width}x${height}`), width, height };
    },
  };
}
