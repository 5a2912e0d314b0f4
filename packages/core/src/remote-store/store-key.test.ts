import { describe, expect, it } from 'vitest';
import { storeKeyPath } from './store-key.js';

const SHA = 'a'.repeat(64);

describe('storeKeyPath', () => {
  it('is <kind>/<sha256>.<preferred extension>', () => {
    expect(storeKeyPath({ kind: 'originals', sha256: SHA, mediaType: 'image/png' })).toBe(
      `originals/${SHA}.png`,
    );
    expect(storeKeyPath({ kind: 'outputs', sha256: SHA, mediaType: 'IMAGE/JPEG; q=1' })).toBe(
      `outputs/${SHA}.jpg`,
    );
  });

  it.each([
    ['a kind outside the list', { kind: '../etc', sha256: SHA, mediaType: 'image/png' }],
    ['an upper-case sha256', { kind: 'outputs', sha256: 'A'.repeat(64), mediaType: 'image/png' }],
    ['a short sha256', { kind: 'outputs', sha256: 'a'.repeat(63), mediaType: 'image/png' }],
    [
      'a sha256 with a path in it',
      { kind: 'outputs', sha256: `${SHA}/../x`, mediaType: 'image/png' },
    ],
    ['an unknown media type', { kind: 'outputs', sha256: SHA, mediaType: 'text/html' }],
    ['a media type that is not a string', { kind: 'outputs', sha256: SHA, mediaType: 7 }],
  ])('refuses %s', (_, key) => {
    expect(() => storeKeyPath(key as never)).toThrow(TypeError);
  });
});
