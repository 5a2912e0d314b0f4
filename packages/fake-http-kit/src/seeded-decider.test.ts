import { describe, expect, it } from 'vitest';
import { createPrng } from './create-prng.js';
import { pick, SeededDecider } from './seeded-decider.js';

interface Fault {
  route: 'a' | 'b';
  status?: number;
}

/** A decider with two concerns, as a fake would extend it. */
class TwoStreams extends SeededDecider<'first' | 'second', Fault> {
  constructor(seed: number) {
    super(['first', 'second'], seed);
  }
  first = (): number => this.draw('first');
  second = (): number => this.draw('second');
}

describe('createPrng', () => {
  it('repeats for a seed and stays in [0, 1)', () => {
    const a = createPrng(42);
    const b = createPrng(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBe(1000);
    expect(Array.from({ length: 1000 }, createPrng(43))).not.toEqual(xs);
  });
});

describe('SeededDecider', () => {
  it('draws on one stream do not shift another (one stream per concern)', () => {
    const quiet = new TwoStreams(3);
    const busy = new TwoStreams(3);
    const seq = (d: TwoStreams, noise: number) =>
      Array.from({ length: 50 }, () => {
        for (let i = 0; i < noise; i++) d.second();
        return d.first();
      });
    expect(seq(busy, 7)).toEqual(seq(quiet, 0));
    expect(new TwoStreams(3).first()).not.toBe(new TwoStreams(3).second());
  });

  it('reseed restarts every stream', () => {
    const d = new TwoStreams(5);
    const firsts = [d.first(), d.first()];
    const second = d.second();
    d.reseed(5);
    expect([d.first(), d.first(), d.second()]).toEqual([...firsts, second]);
    d.reseed(6);
    expect(d.first()).not.toBe(firsts[0]);
  });

  it('hands out scripted faults per route, in queue order, each once, as copies', () => {
    const d = new TwoStreams(1);
    const first: Fault = { route: 'a', status: 500 };
    d.inject(first);
    d.inject({ route: 'b', status: 429 });
    d.inject({ route: 'a', status: 503 });
    first.status = 200;
    expect(d.takeScripted('a')).toEqual({ route: 'a', status: 500 });
    expect(d.takeScripted('a')).toEqual({ route: 'a', status: 503 });
    expect(d.takeScripted('a')).toBeUndefined();
    expect(d.takeScripted('b')).toEqual({ route: 'b', status: 429 });
    expect(d.takeScripted('b')).toBeUndefined();
  });

  it('pick spreads draws evenly over a list, never past its end', () => {
    const list = ['x', 'y', 'z'] as const;
    expect([0, 0.34, 0.67, 0.999999].map((u) => pick(list, u))).toEqual(['x', 'y', 'z', 'z']);
  });
});
