import { describe, expect, it } from 'vitest';
import { backoff } from './backoff.js';

describe('backoff', () => {
  it('is full jitter: from 0 up to the doubled base', () => {
    expect(backoff(0, 100, 10_000, () => 0)).toBe(0);
    expect(backoff(0, 100, 10_000, () => 0.999999)).toBe(100);
    expect(backoff(3, 100, 10_000, () => 0.5)).toBe(400);
  });
  it('never passes the cap, however many attempts', () => {
    expect(backoff(50, 100, 5000, () => 0.999999)).toBe(5000);
    expect(backoff(1e6, 100, 5000, () => 0.5)).toBe(2500);
  });
  it('rejects negative arguments', () => {
    expect(() => backoff(-1, 100, 1000, Math.random)).toThrow(TypeError);
  });
});
