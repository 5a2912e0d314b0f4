import type { ImageSize } from './models.js';

// 1K pixel sizes per ratio, as Google's table for 3 Pro Image gives them (docs/gemini-api.md,
// "pixel sizes"); 2K and 4K are twice and four times these, 512 half.
const ONE_K: Record<string, [number, number]> = {
  '1:1': [1024, 1024],
  '16:9': [1376, 768],
  '9:16': [768, 1376],
  '4:3': [1200, 896],
  '3:4': [896, 1200],
  '3:2': [1232, 816],
  '2:3': [816, 1232],
  '21:9': [1584, 672],
  '5:4': [1136, 896],
  '4:5': [896, 1136],
};

const SCALE: Record<ImageSize, number> = { '512': 0.5, '1K': 1, '2K': 2, '4K': 4 };

/**
 * Pixel size of an output at a ratio and size. Ratios outside Google's table (the extreme
 * 1:4 … 8:1) get about one megapixel per 1K, both sides multiples of 16.
 */
export function imageSize(aspectRatio: string, size: ImageSize): { width: number; height: number } {
  const scale = SCALE[size];
  const known = ONE_K[aspectRatio];
  if (known) return { width: known[0] * scale, height: known[1] * scale };
  const [w, h] = aspectRatio.split(':').map(Number) as [number, number];
  const side = (n: number) => Math.max(16, Math.round(n / 16) * 16);
  const width = Math.sqrt((1024 * 1024 * w) / h);
  return { width: side(width * scale), height: side(((width * h) / w) * scale) };
}
