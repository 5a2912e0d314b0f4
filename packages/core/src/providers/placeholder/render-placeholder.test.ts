import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { FONT_METRICS, glyphBitmap, hasGlyph, isGlyphPixelSet, wrapText } from './bitmap-font.js';
import { referenceThumbnail } from './reference-thumbnail.js';
import { renderPlaceholder, type PlaceholderSpec } from './render-placeholder.js';

const base: PlaceholderSpec = {
  id: 'hero-banner',
  prompt: 'A cozy reading nook by a rain-streaked window, warm lamp light',
  seed: 42,
  width: 1600,
  height: 900,
};

async function raw(png: Buffer) {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** Bytes of the central region, where the panel and its text sit. */
function centre(img: Awaited<ReturnType<typeof raw>>): Buffer {
  const { data, width, height, channels } = img;
  const rows: Buffer[] = [];
  for (let y = Math.floor(height * 0.3); y < Math.floor(height * 0.7); y++) {
    const start = (y * width + Math.floor(width * 0.1)) * channels;
    rows.push(data.subarray(start, start + Math.floor(width * 0.8) * channels));
  }
  return Buffer.concat(rows);
}

function countNearWhite(pixels: Buffer, channels: number): number {
  let n = 0;
  for (let i = 0; i + 2 < pixels.length; i += channels) {
    if (pixels[i]! >= 235 && pixels[i + 1]! >= 235 && pixels[i + 2]! >= 235) n++;
  }
  return n;
}

describe('renderPlaceholder', () => {
  it.each([
    [576, 1024],
    [1600, 900],
    [2048, 1152],
    [1536, 2048],
    [1024, 1024],
  ])('produces a %ix%i PNG', async (width, height) => {
    const meta = await sharp(await renderPlaceholder({ ...base, width, height })).metadata();
    expect(meta).toMatchObject({ format: 'png', width, height, channels: 3 });
  });

  it('is deterministic: the same spec gives byte-identical PNGs', async () => {
    const a = await renderPlaceholder(base);
    const b = await renderPlaceholder({ ...base });
    expect(a.equals(b)).toBe(true);
  });

  it('draws the same pixels as ever, on a new or a reused canvas, one by one or at once', async () => {
    // Pixels, not PNG bytes: what the drawing code decides, whatever zlib sharp ships with.
    // Locks in the wild record originals drawn by this code: a speed-up must not change them.
    const thumb = await referenceThumbnail(
      await renderPlaceholder({ id: 'ref', prompt: 'ref', seed: 3, width: 64, height: 48 }),
    );
    const specs: [PlaceholderSpec, string][] = [
      [base, '86add5f72477df49e89c78035fb383d69754f2bc8eb89c6bb4f1f256809bf7a4'],
      [
        { id: 'section-1/image-1', prompt: 'Illustration 1', seed: 1, width: 1024, height: 1024 },
        '958da320f0c289e7c40e313064d7fe598b7409d96f851f24365e5e2c03b87b82',
      ],
      [
        {
          ...base,
          id: 'tall',
          prompt: 'x'.repeat(300),
          seed: 2 ** 32 - 1,
          width: 576,
          height: 1024,
          insets: [thumb, thumb],
        },
        'd553e16e4cfd2de511cf8d87d8495fe764605e281743827bf18fed36730048ec',
      ],
    ];
    const pixelsHash = async (png: Buffer) =>
      createHash('sha256')
        .update(await sharp(png).raw().toBuffer())
        .digest('hex');
    // In turn (each canvas left dirty by another image), then all at once, twice over.
    for (const [spec, want] of specs)
      expect(await pixelsHash(await renderPlaceholder(spec))).toBe(want);
    for (let round = 0; round < 2; round++) {
      const all = await Promise.all(specs.map(([spec]) => renderPlaceholder(spec)));
      expect(await Promise.all(all.map(pixelsHash))).toEqual(specs.map(([, want]) => want));
    }
  });

  it('derives the background colours from the seed', async () => {
    const a = await renderPlaceholder({ ...base, seed: 1 });
    const b = await renderPlaceholder({ ...base, seed: 2 });
    expect(a.equals(b)).toBe(false);
    const [da, db] = await Promise.all([sharp(a).stats(), sharp(b).stats()]);
    expect(da.dominant).not.toEqual(db.dominant);
  });

  it('accepts the full 32-bit seed range', async () => {
    const top = await renderPlaceholder({ ...base, seed: 2 ** 32 - 1, width: 64, height: 64 });
    const zero = await renderPlaceholder({ ...base, seed: 0, width: 64, height: 64 });
    expect(top.equals(zero)).toBe(false);
  });

  it('draws legible near-white text on the panel', async () => {
    const img = await raw(await renderPlaceholder(base));
    const white = countNearWhite(centre(img), img.channels);
    // The id alone covers far more than 1% of the central region at this size.
    expect(white).toBeGreaterThan(img.width * img.height * 0.01);
    const empty = await raw(await renderPlaceholder({ ...base, id: '', prompt: '' }));
    expect(countNearWhite(centre(empty), empty.channels)).toBeLessThan(white / 4);
  });

  it('changes the panel, and only the panel, when the id changes', async () => {
    const a = await raw(await renderPlaceholder(base));
    const b = await raw(await renderPlaceholder({ ...base, id: 'footer-logo' }));
    expect(centre(a).equals(centre(b))).toBe(false);
    // The background depends on seed and size alone, so the corners stay put.
    const corner = (img: typeof a) => img.data.subarray(0, img.width * img.channels * 20);
    expect(corner(a).equals(corner(b))).toBe(true);
  });

  it('copes with long prompts, long ids and characters the font lacks', async () => {
    const prompt = 'an extremely detailed matte painting of a sprawling city '.repeat(40);
    const id = 'a-very-long-image-identifier-that-will-not-fit-on-a-single-line-at-all';
    const png = await renderPlaceholder({ ...base, id, prompt: `${prompt} ✨ naïve café ×` });
    expect((await sharp(png).metadata()).width).toBe(base.width);
    await expect(renderPlaceholder({ ...base, width: 1, height: 1 })).resolves.toBeInstanceOf(
      Buffer,
    );
  });

  it('rejects sizes that are not positive integers', async () => {
    await expect(renderPlaceholder({ ...base, width: 0 })).rejects.toThrow(RangeError);
    await expect(renderPlaceholder({ ...base, height: 10.5 })).rejects.toThrow(RangeError);
  });

  // Its speed is a figure for bench/ (bench:scale draws thousands), not a wall-clock bound here.
  it('renders the largest square, 2048x2048, with its panel text', async () => {
    const img = await raw(await renderPlaceholder({ ...base, width: 2048, height: 2048 }));
    expect([img.width, img.height]).toEqual([2048, 2048]);
    expect(countNearWhite(centre(img), img.channels)).toBeGreaterThan(0);
  });
});

describe('bitmap font', () => {
  const required = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;!?-_/\'"()+=#&%@*<>\u00b7';

  it('has a glyph for every required character, lowercase included', () => {
    for (const ch of required) expect(hasGlyph(ch), ch).toBe(true);
    for (const ch of 'abcxyz') expect(glyphBitmap(ch)).toBe(glyphBitmap(ch.toUpperCase()));
  });

  it('gives every glyph except space some ink, and distinct glyphs distinct shapes', () => {
    const seen = new Map<string, string>();
    for (const ch of required) {
      const bits = Array.from(glyphBitmap(ch)).join('');
      expect(bits.includes('1'), ch).toBe(ch !== ' ');
      expect(seen.get(bits), `${ch} duplicates ${seen.get(bits)}`).toBeUndefined();
      seen.set(bits, ch);
    }
  });

  it('draws unknown characters as the fallback box and reports pixels in range', () => {
    expect(hasGlyph('✨')).toBe(false);
    expect(glyphBitmap('✨')).toBe(glyphBitmap('\u2603'));
    expect(isGlyphPixelSet('L', 0, 0)).toBe(true);
    expect(isGlyphPixelSet('L', 4, 0)).toBe(false);
    expect(isGlyphPixelSet('L', FONT_METRICS.width, 6)).toBe(false);
    expect(isGlyphPixelSet('L', -1, 0)).toBe(false);
  });

  it('wraps on words, hard-breaks long words and ends truncated text with "..."', () => {
    const show = (lines: string[][]) => lines.map((l) => l.join(''));
    expect(show(wrapText('a cozy  nook by\nthe window', 10, 4))).toEqual([
      'A COZY',
      'NOOK BY',
      'THE WINDOW',
    ]);
    expect(show(wrapText('abcdefghijkl', 5, 4))).toEqual(['ABCDE', 'FGHIJ', 'KL']);
    expect(show(wrapText('blog/hero-banner-wide', 12, 4))).toEqual(['BLOG/HERO-', 'BANNER-WIDE']);
    expect(show(wrapText('one two three four five six', 9, 2))).toEqual(['ONE TWO', 'THREE...']);
    expect(wrapText('   ', 10, 4)).toEqual([]);
    expect(wrapText('a✨b', 10, 1)).toEqual([['A', '✨', 'B']]);
  });
});
