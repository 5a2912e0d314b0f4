import { describe, expect, it } from 'vitest';
import { count, frozenMessage, restoredMessage, standInMessage, standInNote } from './messages.js';

describe('messages', () => {
  it('count one thing in the singular, others in the plural', () => {
    expect([count(0, 'image'), count(1, 'image'), count(2, 'credit')]).toEqual([
      '0 images',
      '1 image',
      '2 credits',
    ]);
  });

  it('agree in number with what they count', () => {
    expect(frozenMessage(['a'], 'CI is set', '/p/pixlock.yaml')).toMatch(/^1 image needs /);
    expect(frozenMessage(['a', 'b'], 'CI is set', '/p/pixlock.yaml')).toMatch(/^2 images need /);
    expect(standInMessage(['a'], '/p/pixlock.yaml')).toMatch(/^1 image is a placeholder drawn/);
    expect(standInMessage(['a', 'b'], '/p/pixlock.yaml')).toMatch(/^2 images are placeholders/);
    expect(standInNote(['a'])).toBe(
      'a placeholder stands in for a until the provider generates it',
    );
    expect(standInNote(['a', 'b'])).toBe(
      'placeholders stand in for a, b until the provider generates them',
    );
    expect(restoredMessage(['x.avif'])).toMatch(/^another plugin changed a file pixlock emitted/);
    expect(restoredMessage(['x.avif', 'y.webp'])).toMatch(/changed 2 files pixlock emitted/);
  });
});
