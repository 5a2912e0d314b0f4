import { loadSharp } from '../../util/load-sharp.js';
import { FONT_METRICS, drawText, wrapText } from './bitmap-font.js';
import { CanvasPool } from './canvas-pool.js';
import { drawInsets } from './draw-insets.js';
import type { RgbImage } from './bitmap-font.js';

/** Inputs that fully determine a placeholder image. */
export interface PlaceholderSpec {
  id: string;
  prompt: string;
  seed: number;
  width: number;
  height: number;
  /** Thumbnails of the images it is drawn from (reference-thumbnail.ts), shown as insets. */
  insets?: string[];
}

type Rgb = readonly [number, number, number];

interface Canvas extends RgbImage {
  readonly buf: Buffer;
}

const TEXT: Rgb = [248, 248, 250];
const META_TEXT: Rgb = [206, 210, 218];
const SHADOW: Rgb = [12, 12, 18];
const PROMPT_MAX_LINES = 4;
const ID_MAX_LINES = 2;
/** Shared by every render of the process (see canvas-pool.ts). */
const canvases = new CanvasPool();

/**
 * Renders a deterministic PNG placeholder: same spec → byte-identical PNG.
 *
 * Everything is drawn into a raw RGB buffer with a built-in bitmap font, because any font or
 * text rasteriser from the host would make the bytes depend on the machine.
 */
export async function renderPlaceholder(spec: PlaceholderSpec): Promise<Buffer> {
  const sharp = await loadSharp();
  const { width, height } = spec;
  if (![width, height].every((v) => Number.isInteger(v) && v > 0)) {
    throw new RangeError(`placeholder size must be positive integers, got ${width}x${height}`);
  }
  const canvas: Canvas = { buf: canvases.take(width * height * 3), width, height };
  const rand = mulberry32(spec.seed >>> 0);
  const hue = rand() * 360;
  const from = hslToRgb(hue, 0.5 + rand() * 0.2, 0.42 + rand() * 0.1);
  const to = hslToRgb(hue + 40 + rand() * 100, 0.45 + rand() * 0.2, 0.55 + rand() * 0.1);
  paintBackground(canvas, from, to, Math.max(8, Math.round(Math.max(width, height) / 48)));
  drawPanel(canvas, spec);
  drawInsets(canvas, spec.insets ?? []);
  try {
    return await sharp(canvas.buf, { raw: { width, height, channels: 3 } })
      .png({ compressionLevel: 6 })
      .toBuffer();
  } finally {
    // libvips has read the pixels once the PNG is made (or failed): the canvas is free.
    canvases.give(canvas.buf);
  }
}

/** mulberry32: tiny, well-mixed 32-bit PRNG; good enough for picking colours. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hslToRgb(h: number, s: number, l: number): Rgb {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1));
  return [Math.round(f(0) * 255), Math.round(f(8) * 255), Math.round(f(4) * 255)];
}

/** Diagonal gradient with faint diagonal stripes, so the placeholder doesn't read as a flat fill. */
function paintBackground({ buf, width, height }: Canvas, from: Rgb, to: Rgb, stripe: number): void {
  const [r0, g0, b0] = from;
  const dr = to[0] - r0;
  const dg = to[1] - g0;
  const db = to[2] - b0;
  const period = stripe * 2;
  const tx = 0.5 / Math.max(1, width - 1);
  const ty = 0.5 / Math.max(1, height - 1);
  let i = 0;
  for (let y = 0; y < height; y++) {
    const rowT = y * ty;
    // (x + y) % period, counted rather than divided: a division per pixel was most of the time.
    let phase = y % period;
    for (let x = 0; x < width; x++) {
      const t = rowT + x * tx;
      const lift = phase < stripe ? 9 : 0;
      if (++phase === period) phase = 0;
      // Math.round keeps the float→byte step identical everywhere (no implementation-defined casts).
      buf[i++] = Math.min(255, Math.round(r0 + dr * t) + lift);
      buf[i++] = Math.min(255, Math.round(g0 + dg * t) + lift);
      buf[i++] = Math.min(255, Math.round(b0 + db * t) + lift);
    }
  }
}

interface Block {
  lines: string[][];
  scale: number;
  color: Rgb;
}

/** Where the text goes for a given font-pixel unit; `fits` says whether it fits the image height. */
function layout(spec: PlaceholderSpec, unit: number) {
  const { width, height } = spec;
  const { advance, lineHeight, height: glyphH } = FONT_METRICS;
  const pad = Math.max(2, unit * 2);
  const innerW = Math.round(width * 0.86) - 2 * pad;
  // Largest scale ≤ max at which `len` glyphs fit on one line.
  const fit = (len: number, max: number) =>
    Math.max(1, Math.min(max, Math.floor((innerW + 1) / Math.max(1, len * advance - 1))));
  const cols = (s: number) => Math.max(1, Math.floor((innerW + s) / (advance * s)));
  const promptScale = Math.max(1, Math.round(unit / 2));
  // A long id shrinks to fit one line, but never below the prompt size; past that it wraps.
  const idScale = Math.max(promptScale, fit(Array.from(spec.id).length, unit));
  const meta = `${width}x${height} \u00b7 seed ${spec.seed}`;
  const metaScale = fit(meta.length, Math.max(1, Math.round(unit * 0.35)));
  const blocks: Block[] = [
    { lines: wrapText(spec.id, cols(idScale), ID_MAX_LINES), scale: idScale, color: TEXT },
    {
      lines: wrapText(spec.prompt, cols(promptScale), PROMPT_MAX_LINES),
      scale: promptScale,
      color: TEXT,
    },
    { lines: wrapText(meta, cols(metaScale), 2), scale: metaScale, color: META_TEXT },
  ].filter((b) => b.lines.length > 0);
  const gap = unit * 2;
  const textH = blocks.reduce(
    (sum, b) => sum + (b.lines.length * lineHeight - (lineHeight - glyphH)) * b.scale + gap,
    -gap,
  );
  const panel = { w: innerW + 2 * pad, h: Math.max(0, textH) + 2 * pad };
  return { blocks, pad, gap, panel, fits: panel.h <= height * 0.92 };
}

function drawPanel(canvas: Canvas, spec: PlaceholderSpec): void {
  const { width, height } = canvas;
  const { advance, lineHeight, height: glyphH } = FONT_METRICS;
  // Font pixels per "unit" ≈ width/60, then shrunk until the text fits on short, wide images.
  let unit = Math.max(1, Math.floor(Math.min(width / 60, height / 50)));
  let l = layout(spec, unit);
  while (!l.fits && unit > 1) l = layout(spec, --unit);
  const { w, h } = l.panel;
  const x0 = Math.floor((width - w) / 2);
  const y0 = Math.floor((height - h) / 2);
  darkenRoundedRect(canvas, x0, y0, w, h, Math.round(unit * 1.2));

  let y = y0 + l.pad;
  for (const { lines, scale: s, color } of l.blocks) {
    for (const line of lines) {
      const x = x0 + Math.floor((w - (line.length * advance - 1) * s) / 2);
      drawText(canvas, line, x + s, y + s, s, SHADOW);
      drawText(canvas, line, x, y, s, color);
      y += lineHeight * s;
    }
    y += l.gap - (lineHeight - glyphH) * s;
  }
}

/** Translucent: scales the background down rather than covering it, so the stripes show through. */
function darkenRoundedRect(c: Canvas, x: number, y: number, w: number, h: number, radius: number) {
  const r = Math.min(radius, Math.floor(w / 2), Math.floor(h / 2));
  for (let yy = Math.max(0, y); yy < Math.min(c.height, y + h); yy++) {
    // How deep this row is into the top or bottom corner band decides its inset.
    const dy = Math.max(0, r - (yy - y) - 0.5, yy - y - (h - r) + 0.5);
    const inset = dy > 0 ? Math.round(r - Math.sqrt(Math.max(0, r * r - dy * dy))) : 0;
    const end = (yy * c.width + Math.min(c.width, x + w - inset)) * 3;
    for (let k = (yy * c.width + Math.max(0, x + inset)) * 3; k < end; k++) {
      c.buf[k] = ((c.buf[k] ?? 0) * 100) >> 8;
    }
  }
}
