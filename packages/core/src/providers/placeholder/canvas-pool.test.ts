import { describe, expect, it } from 'vitest';
import { CanvasPool } from './canvas-pool.js';

describe('CanvasPool', () => {
  it('hands back a canvas given back, of the size asked for', () => {
    const pool = new CanvasPool(2, 1024);
    const a = pool.take(300);
    pool.give(a);
    expect(pool.take(400)).not.toBe(a);
    expect(pool.take(300)).toBe(a);
    expect(pool.idle).toBe(0);
  });

  it('keeps at most maxIdle canvases, dropping the oldest', () => {
    const pool = new CanvasPool(2, 1024);
    const [a, b, c] = [pool.take(10), pool.take(10), pool.take(10)];
    pool.give(a);
    pool.give(b);
    pool.give(c);
    expect(pool.idle).toBe(2);
    const again = [pool.take(10), pool.take(10)];
    expect(again).toEqual(expect.arrayContaining([b, c]));
    expect(again).not.toContain(a);
  });

  it('does not keep canvases larger than maxBytes', () => {
    const pool = new CanvasPool(2, 100);
    const big = pool.take(101);
    pool.give(big);
    expect(pool.idle).toBe(0);
    expect(pool.take(101)).not.toBe(big);
  });

  it('rejects a bad maxIdle', () => {
    expect(() => new CanvasPool(-1)).toThrow(TypeError);
  });
});
