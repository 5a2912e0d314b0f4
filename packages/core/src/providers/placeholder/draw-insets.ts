import { THUMBNAIL_SIZE } from './reference-thumbnail.js';

/** An RGB canvas the insets are drawn into. */
export interface InsetCanvas {
  readonly buf: Buffer;
  readonly width: number;
  readonly height: number;
}

/**
 * Draws each reference thumbnail (see reference-thumbnail.ts) as a framed square along the
 * bottom edge, right to left, scaled by nearest neighbour: a placeholder drawn from other
 * images shows which ones, and changes when they do. Integer arithmetic only, so the bytes
 * are the same on every machine.
 */
export function drawInsets(canvas: InsetCanvas, thumbnails: readonly string[]): void {
  if (thumbnails.length === 0) return;
  const { width, height } = canvas;
  const margin = Math.max(1, Math.floor(Math.min(width, height) / 48));
  const frame = Math.max(1, Math.floor(margin / 2));
  // Every inset fits on one row: at most a sixth of the short side, fewer pixels when many.
  const room = Math.floor((width - margin) / thumbnails.length) - margin;
  const side = Math.max(1, Math.min(Math.floor(Math.min(width, height) / 6), room));
  thumbnails.forEach((thumbnail, i) => {
    const pixels = Buffer.from(thumbnail, 'base64');
    if (pixels.length !== THUMBNAIL_SIZE * THUMBNAIL_SIZE * 3) return;
    const x0 = width - margin - (i + 1) * (side + margin) + margin;
    const y0 = height - margin - side;
    fill(canvas, x0 - frame, y0 - frame, side + 2 * frame, side + 2 * frame, 255);
    for (let y = 0; y < side; y++) {
      const ty = Math.floor((y * THUMBNAIL_SIZE) / side);
      for (let x = 0; x < side; x++) {
        const tx = Math.floor((x * THUMBNAIL_SIZE) / side);
        const from = (ty * THUMBNAIL_SIZE + tx) * 3;
        const cx = x0 + x;
        const cy = y0 + y;
        if (cx < 0 || cy < 0 || cx >= width || cy >= height) continue;
        pixels.copy(canvas.buf, (cy * width + cx) * 3, from, from + 3);
      }
    }
  });
}

function fill(c: InsetCanvas, x: number, y: number, w: number, h: number, value: number): void {
  for (let yy = Math.max(0, y); yy < Math.min(c.height, y + h); yy++) {
    const start = (yy * c.width + Math.max(0, x)) * 3;
    const end = (yy * c.width + Math.min(c.width, x + w)) * 3;
    c.buf.fill(value, start, end);
  }
}
