import { describe, expect, it } from 'vitest';
import { createStyle, shouldColor } from './style.js';

describe('shouldColor', () => {
  it('colours a terminal only, and never for NO_COLOR or TERM=dumb', () => {
    expect(shouldColor(true, {})).toBe(true);
    expect(shouldColor(false, {})).toBe(false);
    expect(shouldColor(true, { NO_COLOR: '1' })).toBe(false);
    expect(shouldColor(true, { TERM: 'dumb' })).toBe(false);
    expect(shouldColor(true, { NO_COLOR: '' })).toBe(true);
  });

  it('colours a pipe for FORCE_COLOR, unless it is 0 or NO_COLOR is set', () => {
    expect(shouldColor(false, { FORCE_COLOR: '1' })).toBe(true);
    expect(shouldColor(false, { FORCE_COLOR: '0' })).toBe(false);
    expect(shouldColor(false, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(false);
  });
});

it('createStyle wraps in ANSI codes only when colour is on', () => {
  expect(createStyle(true).green('+')).toBe('\x1b[32m+\x1b[39m');
  expect(createStyle(false).green('+')).toBe('+');
});
