import { describe, expect, it } from 'vitest';
import { numberOf } from './number-of.js';

describe('numberOf', () => {
  it('reads finite numbers and numeric strings, nothing else', () => {
    expect([numberOf(15), numberOf('25'), numberOf(' 3.5 ')]).toEqual([15, 25, 3.5]);
    for (const v of ['', '  ', 'abc', NaN, Infinity, '1e999', null, undefined, {}, [1], true])
      expect(numberOf(v)).toBeUndefined();
  });
});
