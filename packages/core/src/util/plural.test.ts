import { expect, it } from 'vitest';
import { plural } from './plural.js';

it('puts the noun in the number of the count', () => {
  expect(plural(0, 'image')).toBe('0 images');
  expect(plural(1, 'image')).toBe('1 image');
  expect(plural(2, 'image')).toBe('2 images');
  expect(plural(1, 'lock entry', 'lock entries')).toBe('1 lock entry');
  expect(plural(5, 'lock entry', 'lock entries')).toBe('5 lock entries');
});
