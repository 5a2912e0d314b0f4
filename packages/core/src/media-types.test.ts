import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  extensionForFormat,
  extensionForMediaType,
  formatForFile,
  MEDIA_TYPES,
  mediaTypeForExtension,
  mediaTypeForSharpFormat,
  mediaTypeInfo,
  sniffMediaType,
} from './media-types.js';

describe('media types', () => {
  it.each(['png', 'jpeg', 'webp', 'gif', 'avif'] as const)(
    'sniffs what sharp writes as %s, and maps it both ways',
    async (format) => {
      const bytes = await sharp({
        create: { width: 2, height: 2, channels: 3, background: '#08f' },
      })
        .toFormat(format)
        .toBuffer();
      const type = sniffMediaType(bytes);
      expect(type).toBe(mediaTypeForSharpFormat(format));
      expect(mediaTypeForExtension(`x.${extensionForMediaType(type!)}`)).toBe(type);
    },
  );

  it('reads names and types loosely, and knows nothing else', () => {
    expect(mediaTypeForExtension('Photo.JPEG')).toBe('image/jpeg');
    expect(mediaTypeForExtension('.jpg')).toBe('image/jpeg');
    expect(mediaTypeInfo('IMAGE/PNG; charset=binary')?.extensions).toEqual(['png']);
    expect(mediaTypeForExtension('passwd')).toBeUndefined();
    expect(extensionForMediaType('text/html')).toBe('bin');
    expect(sniffMediaType(Buffer.from('<!DOCTYPE html>'))).toBeUndefined();
    expect(sniffMediaType(Buffer.alloc(0))).toBeUndefined();
  });

  it('maps output formats to the extensions pixlock writes, and back', () => {
    expect(['webp', 'avif', 'png', 'jpeg'].map(extensionForFormat)).toEqual([
      'webp',
      'avif',
      'png',
      'jpg',
    ]);
    expect(extensionForFormat('tiff')).toBe('bin');
    expect(formatForFile('public/img/hero-640.JPG')).toBe('jpeg');
    expect(formatForFile('hero.avif')).toBe('avif');
    expect(formatForFile('a.webp/png')).toBeUndefined();
    expect(formatForFile('hero.txt')).toBeUndefined();
  });

  it('has one entry per media type and per extension', () => {
    const types = MEDIA_TYPES.map((m) => m.mediaType);
    const exts = MEDIA_TYPES.flatMap((m) => m.extensions);
    expect(new Set(types).size).toBe(types.length);
    expect(new Set(exts).size).toBe(exts.length);
  });
});
