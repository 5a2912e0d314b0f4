/**
 * A hand-drawn 5×7 bitmap font for the placeholder renderer.
 *
 * Placeholders must be byte-identical on every machine, so text cannot come from system fonts
 * or a text rasteriser whose output depends on the installed font set; this table is the only
 * source of glyph shapes. Each glyph is 7 rows of 5 columns, `#` = ink, `.` = paper.
 * Wrapping and drawing live here too, since both are defined in glyph cells of this font.
 */

/** A packed 8-bit RGB image (3 bytes per pixel, rows top to bottom) that text is drawn into. */
export interface RgbImage {
  readonly buf: Uint8Array;
  readonly width: number;
  readonly height: number;
}

type Rgb = readonly [number, number, number];

/** Glyph metrics in font pixels. */
export const FONT_METRICS = {
  /** Ink columns of a glyph. */
  width: 5,
  /** Ink rows of a glyph. */
  height: 7,
  /** Horizontal distance from one glyph to the next (one blank column between glyphs). */
  advance: 6,
  /** Vertical distance from one line of text to the next (three blank rows between lines). */
  lineHeight: 10,
} as const;

// prettier-ignore
const GLYPHS: Readonly<Record<string, readonly string[]>> = {
  'A': ['.###.', '#...#', '#...#', '#####', '#...#', '#...#', '#...#'],
  'B': ['####.', '#...#', '#...#', '####.', '#...#', '#...#', '####.'],
  'C': ['.###.', '#...#', '#....', '#....', '#....', '#...#', '.###.'],
  'D': ['####.', '#...#', '#...#', '#...#', '#...#', '#...#', '####.'],
  'E': ['#####', '#....', '#....', '####.', '#....', '#....', '#####'],
  'F': ['#####', '#....', '#....', '####.', '#....', '#....', '#....'],
  'G': ['.###.', '#...#', '#....', '#.###', '#...#', '#...#', '.####'],
  'H': ['#...#', '#...#', '#...#', '#####', '#...#', '#...#', '#...#'],
  'I': ['.###.', '..#..', '..#..', '..#..', '..#..', '..#..', '.###.'],
  'J': ['..###', '...#.', '...#.', '...#.', '...#.', '#..#.', '.##..'],
  'K': ['#...#', '#..#.', '#.#..', '##...', '#.#..', '#..#.', '#...#'],
  'L': ['#....', '#....', '#....', '#....', '#....', '#....', '#####'],
  'M': ['#...#', '##.##', '#.#.#', '#.#.#', '#...#', '#...#', '#...#'],
  'N': ['#...#', '#...#', '##..#', '#.#.#', '#..##', '#...#', '#...#'],
  'O': ['.###.', '#...#', '#...#', '#...#', '#...#', '#...#', '.###.'],
  'P': ['####.', '#...#', '#...#', '####.', '#....', '#....', '#....'],
  'Q': ['.###.', '#...#', '#...#', '#...#', '#.#.#', '#..#.', '.##.#'],
  'R': ['####.', '#...#', '#...#', '####.', '#.#..', '#..#.', '#...#'],
  'S': ['.####', '#....', '#....', '.###.', '....#', '....#', '####.'],
  'T': ['#####', '..#..', '..#..', '..#..', '..#..', '..#..', '..#..'],
  'U': ['#...#', '#...#', '#...#', '#...#', '#...#', '#...#', '.###.'],
  'V': ['#...#', '#...#', '#...#', '#...#', '#...#', '.#.#.', '..#..'],
  'W': ['#...#', '#...#', '#...#', '#.#.#', '#.#.#', '#.#.#', '.#.#.'],
  'X': ['#...#', '#...#', '.#.#.', '..#..', '.#.#.', '#...#', '#...#'],
  'Y': ['#...#', '#...#', '.#.#.', '..#..', '..#..', '..#..', '..#..'],
  'Z': ['#####', '....#', '...#.', '..#..', '.#...', '#....', '#####'],

  // The zero carries a slash so ids like "O0" stay unambiguous.
  '0': ['.###.', '#...#', '#..##', '#.#.#', '##..#', '#...#', '.###.'],
  '1': ['..#..', '.##..', '..#..', '..#..', '..#..', '..#..', '.###.'],
  '2': ['.###.', '#...#', '....#', '...#.', '..#..', '.#...', '#####'],
  '3': ['####.', '....#', '....#', '.###.', '....#', '....#', '####.'],
  '4': ['...#.', '..##.', '.#.#.', '#..#.', '#####', '...#.', '...#.'],
  '5': ['#####', '#....', '####.', '....#', '....#', '#...#', '.###.'],
  '6': ['..##.', '.#...', '#....', '####.', '#...#', '#...#', '.###.'],
  '7': ['#####', '....#', '...#.', '..#..', '.#...', '.#...', '.#...'],
  '8': ['.###.', '#...#', '#...#', '.###.', '#...#', '#...#', '.###.'],
  '9': ['.###.', '#...#', '#...#', '.####', '....#', '...#.', '.##..'],

  ' ': ['.....', '.....', '.....', '.....', '.....', '.....', '.....'],
  '.': ['.....', '.....', '.....', '.....', '.....', '.##..', '.##..'],
  ',': ['.....', '.....', '.....', '.....', '..##.', '...#.', '..#..'],
  ':': ['.....', '.##..', '.##..', '.....', '.##..', '.##..', '.....'],
  ';': ['.....', '.##..', '.##..', '.....', '.##..', '..#..', '.#...'],
  '!': ['..#..', '..#..', '..#..', '..#..', '..#..', '.....', '..#..'],
  '?': ['.###.', '#...#', '....#', '...#.', '..#..', '.....', '..#..'],
  '-': ['.....', '.....', '.....', '.###.', '.....', '.....', '.....'],
  '_': ['.....', '.....', '.....', '.....', '.....', '.....', '#####'],
  '/': ['....#', '....#', '...#.', '..#..', '.#...', '#....', '#....'],
  "'": ['..#..', '..#..', '.#...', '.....', '.....', '.....', '.....'],
  '"': ['.#.#.', '.#.#.', '.#.#.', '.....', '.....', '.....', '.....'],
  '(': ['...#.', '..#..', '.#...', '.#...', '.#...', '..#..', '...#.'],
  ')': ['.#...', '..#..', '...#.', '...#.', '...#.', '..#..', '.#...'],
  '+': ['.....', '..#..', '..#..', '#####', '..#..', '..#..', '.....'],
  '=': ['.....', '.....', '#####', '.....', '#####', '.....', '.....'],
  '#': ['.#.#.', '.#.#.', '#####', '.#.#.', '#####', '.#.#.', '.#.#.'],
  '&': ['.##..', '#..#.', '#.#..', '.#...', '#.#.#', '#..#.', '.##.#'],
  '%': ['##...', '##..#', '...#.', '..#..', '.#...', '#..##', '...##'],
  '@': ['.###.', '#...#', '#.###', '#.#.#', '#.###', '#....', '.####'],
  '*': ['.....', '..#..', '#.#.#', '.###.', '#.#.#', '..#..', '.....'],
  '<': ['...#.', '..#..', '.#...', '#....', '.#...', '..#..', '...#.'],
  '>': ['.#...', '..#..', '...#.', '....#', '...#.', '..#..', '.#...'],
  // Middle dot (U+00B7): the full stop raised to mid-height, so the two read as one family.
  '\u00b7': ['.....', '.....', '.....', '.##..', '.##..', '.....', '.....'],
};

// Stands in for any character the table lacks, so missing glyphs are visible instead of silently
// collapsing into spaces.
const FALLBACK = ['.....', '.###.', '.#.#.', '.#.#.', '.#.#.', '.###.', '.....'];

function compile(rows: readonly string[], char: string): Uint8Array {
  const { width, height } = FONT_METRICS;
  // A typo in the table should fail loudly at import time, not render a skewed glyph.
  if (rows.length !== height || rows.some((row) => !/^[.#]+$/.test(row) || row.length !== width)) {
    throw new Error(`bitmap-font: glyph ${JSON.stringify(char)} is not ${width}x${height}`);
  }
  const bits = new Uint8Array(width * height);
  rows.forEach((row, y) => {
    for (let x = 0; x < width; x++) bits[y * width + x] = row[x] === '#' ? 1 : 0;
  });
  return bits;
}

const COMPILED = new Map(Object.entries(GLYPHS).map(([ch, rows]) => [ch, compile(rows, ch)]));
const FALLBACK_BITS = compile(FALLBACK, 'fallback');

/**
 * The glyph bitmap for one character: `width × height` bytes, row-major, 1 = ink.
 * Lowercase letters share the uppercase glyphs; unknown characters get a small box.
 * The returned array is shared; do not mutate it.
 */
export function glyphBitmap(char: string): Uint8Array {
  return COMPILED.get(char) ?? COMPILED.get(char.toUpperCase()) ?? FALLBACK_BITS;
}

/** Whether the font pixel at column `x`, row `y` of `char`'s glyph is ink. Out of range is blank. */
export function isGlyphPixelSet(char: string, x: number, y: number): boolean {
  const { width, height } = FONT_METRICS;
  if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0) return false;
  if (x >= width || y >= height) return false;
  return glyphBitmap(char)[y * width + x] === 1;
}

/** Whether `char` (after uppercasing) has its own glyph rather than the fallback box. */
export function hasGlyph(char: string): boolean {
  return COMPILED.has(char) || COMPILED.has(char.toUpperCase());
}

/**
 * Greedy word wrap into at most `maxLines` lines of `width` glyphs, hard-breaking words longer
 * than a line (ids are often one long slug). Works on code points so an emoji is one (box) glyph.
 */
export function wrapText(text: string, width: number, maxLines: number): string[][] {
  const words = text
    .toUpperCase()
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => Array.from(w));
  const lines: string[][] = [];
  let line: string[] = [];
  for (let word of words) {
    if (line.length > 0 && line.length + 1 + word.length <= width) {
      line.push(' ', ...word);
      continue;
    }
    if (line.length > 0) lines.push(line);
    while (word.length > width) {
      // Slugs like "blog/hero-banner" read better split after a separator than mid-word.
      const sep = word.slice(0, width).findLastIndex((ch) => '-_/.'.includes(ch));
      const cut = sep >= width / 2 ? sep + 1 : width;
      lines.push(word.slice(0, cut));
      word = word.slice(cut);
    }
    line = word;
  }
  if (line.length > 0) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const last = (kept[maxLines - 1] ?? []).slice(0, Math.max(0, width - 3));
  while (last.at(-1) === ' ') last.pop();
  kept[maxLines - 1] = [...last, '.', '.', '.'];
  return kept;
}

/**
 * Draws `chars` (one glyph each, e.g. a line from {@link wrapText}) with its top-left at
 * (`x0`, `y0`), each font pixel an `s`×`s` square of solid `rgb`, clipped to the image.
 */
export function drawText(
  c: RgbImage,
  chars: readonly string[],
  x0: number,
  y0: number,
  s: number,
  rgb: Rgb,
): void {
  const { width: gw, height: gh, advance } = FONT_METRICS;
  const [r, g, b] = rgb;
  chars.forEach((ch, i) => {
    const bits = glyphBitmap(ch);
    for (let gy = 0; gy < gh; gy++) {
      for (let gx = 0; gx < gw; gx++) {
        if (!bits[gy * gw + gx]) continue;
        const px = x0 + (i * advance + gx) * s;
        const py = y0 + gy * s;
        const xa = Math.max(0, px);
        const xb = Math.min(c.width, px + s);
        for (let yy = Math.max(0, py); yy < Math.min(c.height, py + s); yy++) {
          for (let k = (yy * c.width + xa) * 3; k < (yy * c.width + xb) * 3; k += 3) {
            c.buf[k] = r;
            c.buf[k + 1] = g;
            c.buf[k + 2] = b;
          }
        }
      }
    }
  });
}
