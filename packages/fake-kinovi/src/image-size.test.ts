import { describe, expect, it } from 'vitest';
import { imageSize } from './image-size.js';

describe('imageSize', () => {
  it.each([
    ['3:4', '1k', 768, 1024],
    ['16:9', '2k', 2048, 1152],
    ['9:16', '1k', 576, 1024],
    ['1:1', '4k', 4096, 4096],
    ['4:3', '2k', 2048, 1536],
  ] as const)('%s at %s is %i×%i', (ratio, resolution, width, height) => {
    expect(imageSize(ratio, resolution)).toEqual({ width, height });
  });
});
