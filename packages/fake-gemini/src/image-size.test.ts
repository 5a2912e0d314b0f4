import { describe, expect, it } from 'vitest';
import { imageSize } from './image-size.js';
import { MODELS, imagePrice } from './models.js';

describe('imageSize', () => {
  it('follows Google’s 1K table and scales it for 512, 2K and 4K', () => {
    expect(imageSize('16:9', '1K')).toEqual({ width: 1376, height: 768 });
    expect(imageSize('16:9', '4K')).toEqual({ width: 5504, height: 3072 });
    expect(imageSize('2:3', '512')).toEqual({ width: 408, height: 616 });
  });

  it('gives the extreme ratios about a megapixel per 1K, sides multiples of 16', () => {
    for (const ratio of ['1:4', '4:1', '1:8', '8:1']) {
      const { width, height } = imageSize(ratio, '1K');
      const [w, h] = ratio.split(':').map(Number) as [number, number];
      expect(width % 16).toBe(0);
      expect(height % 16).toBe(0);
      expect(Math.abs(width / height - w / h) / (w / h)).toBeLessThan(0.02);
      expect(Math.abs(width * height - 1024 * 1024) / (1024 * 1024)).toBeLessThan(0.03);
    }
  });
});

describe('the price table', () => {
  it('has a price and a token count for every size a model takes; batch is half', () => {
    for (const model of MODELS) {
      for (const size of model.imageSizes) {
        expect(model.usd[size]).toBeGreaterThan(0);
        expect(model.tokens[size]).toBeGreaterThan(0);
        expect(imagePrice(model, size, 'batch')).toBeCloseTo((model.usd[size] as number) / 2, 10);
      }
    }
  });
});
