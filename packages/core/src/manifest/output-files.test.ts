import { describe, expect, it } from 'vitest';
import type { OutputOptions } from './resolved-manifest.js';
import { outputHash } from '../plan/hashes.js';
import {
  clampNote,
  mainBox,
  outputFiles,
  responsiveWidths,
  writesFullSize,
} from './output-files.js';

const o = (options: Partial<OutputOptions>): OutputOptions => ({
  format: 'webp',
  fit: 'cover',
  ...options,
});
const ORIGINAL = { width: 1024, height: 576 };
const paths = (output: OutputOptions) =>
  outputFiles('gen', 'hero', output, ORIGINAL).map((f) => `${f.path} ${f.width ?? '-'}`);

describe('outputFiles', () => {
  it('keeps one format as it always was: the full-size file, then one per width', () => {
    expect(paths(o({ widths: [320, 640] }))).toEqual([
      'gen/hero.webp -',
      'gen/hero-320.webp 320',
      'gen/hero-640.webp 640',
    ]);
  });

  it('writes every format, in order of preference, and the full size only when asked', () => {
    expect(paths(o({ format: 'avif', formats: ['avif', 'webp'], widths: [320, 640] }))).toEqual([
      'gen/hero-320.avif 320',
      'gen/hero-640.avif 640',
      'gen/hero-320.webp 320',
      'gen/hero-640.webp 640',
    ]);
    expect(
      paths(o({ format: 'avif', formats: ['avif', 'jpeg'], widths: [320], full: true })),
    ).toEqual([
      'gen/hero.avif -',
      'gen/hero-320.avif 320',
      'gen/hero.jpg -',
      'gen/hero-320.jpg 320',
    ]);
    // full: false drops it for a single format too; without widths it is the only output.
    expect(paths(o({ widths: [320], full: false }))).toEqual(['gen/hero-320.webp 320']);
    expect(paths(o({ formats: ['avif'], full: false }))).toEqual(['gen/hero.avif -']);
    expect(writesFullSize(o({ formats: ['webp'] }))).toBe(true);
  });

  it('clamps widths above the original to the original, once, unless upscaling is allowed', () => {
    expect(responsiveWidths(o({ widths: [640, 1600, 2400] }), 1024)).toEqual([640, 1024]);
    expect(responsiveWidths(o({ widths: [1024, 2400] }), 1024)).toEqual([1024]);
    expect(responsiveWidths(o({ widths: [640, 2400], allowUpscale: true }), 1024)).toEqual([
      640, 2400,
    ]);
    expect(paths(o({ formats: ['webp'], widths: [640, 2000] }))).toEqual([
      'gen/hero-640.webp 640',
      'gen/hero-1024.webp 1024',
    ]);
  });

  it('scales a box larger than the original down as a whole, keeping its proportions', () => {
    expect(mainBox(o({ width: 1600, height: 900 }), ORIGINAL)).toEqual({
      width: 1024,
      height: 576,
    });
    expect(mainBox(o({ width: 2000, height: 500 }), ORIGINAL)).toEqual({
      width: 1024,
      height: 256,
    });
    expect(mainBox(o({ width: 4000 }), ORIGINAL)).toEqual({ width: 1024, height: undefined });
    expect(mainBox(o({ width: 800 }), ORIGINAL)).toEqual({ width: 800, height: undefined });
    expect(mainBox(o({ width: 4000, allowUpscale: true }), ORIGINAL)).toEqual({
      width: 4000,
      height: undefined,
    });
    const [main] = outputFiles('gen', 'og', o({ width: 1200, height: 630 }), ORIGINAL);
    expect([main!.width, main!.height]).toEqual([1024, 538]);
  });

  it('says what it clamped, for the plan', () => {
    expect(clampNote(o({ widths: [640, 2000] }), ORIGINAL)).toBe(
      "widths 2000 clamped to the original's 1024×576 (allowUpscale: true to enlarge)",
    );
    expect(clampNote(o({ width: 1200, height: 630 }), ORIGINAL)).toMatch(/^size 1200×630 clamped/);
    expect(clampNote(o({ widths: [640] }), ORIGINAL)).toBeUndefined();
    expect(clampNote(o({ widths: [2000], allowUpscale: true }), ORIGINAL)).toBeUndefined();
  });
});

describe('outputHash', () => {
  it('is unchanged for options that existed before formats (existing locks stay current)', () => {
    // The hash the lock of examples/basic records for its hero (avif q60, widths 640, 1280).
    expect(outputHash(o({ format: 'avif', quality: 60, widths: [640, 1280] }))).toBe(
      '16ee72a316e243424f4dd718aa2b0d90517c3b98bd632fa9e1bdb9c0f207d73e',
    );
  });

  it('changes with every new option that changes files, and not with sizes', () => {
    const base = o({ widths: [640] });
    const hashes = [
      base,
      o({ widths: [640], formats: ['webp'] }),
      o({ widths: [640], full: true }),
      o({ widths: [640], position: 'attention' }),
      o({ widths: [640], background: '#fff' }),
      o({ widths: [640], webp: { effort: 6 } }),
      o({ widths: [640], webp: { lossless: true } }),
      o({ widths: [640], jpeg: { progressive: true } }),
    ].map((output) => outputHash(output));
    expect(new Set(hashes).size).toBe(hashes.length);
    expect(outputHash(o({ widths: [640], sizes: '50vw' }))).toBe(outputHash(base));
    expect(outputHash(o({ webp: { effort: 6, lossless: true } }))).toBe(
      outputHash(o({ webp: { lossless: true, effort: 6 } })),
    );
  });

  it('hashes the sizes really made: a clamp changes it, allowUpscale alone does not', () => {
    const og = o({ format: 'jpeg', quality: 85, width: 1200, height: 630 });
    // Upscaling allowed, the sizes are those written: the hash an older lock has.
    expect(outputHash({ ...og, allowUpscale: true }, ORIGINAL)).toBe(outputHash(og));
    // Clamped to 1024×538: other files, another hash (the plan reprocesses the old upscale).
    expect(outputHash(og, ORIGINAL)).not.toBe(outputHash(og));
    expect(outputHash(og, ORIGINAL)).toBe(outputHash({ ...og, width: 1024, height: 538 }));
    // Nothing to clamp: allowUpscale changes no file and no hash.
    const small = o({ widths: [320, 640] });
    expect(outputHash({ ...small, allowUpscale: true }, ORIGINAL)).toBe(
      outputHash(small, ORIGINAL),
    );
  });
});
