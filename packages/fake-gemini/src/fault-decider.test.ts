import { describe, expect, it } from 'vitest';
import { FaultDecider } from './fault-decider.js';
import { resolveOptions } from './options.js';

describe('seeded decisions', () => {
  it('polling and downloads do not shift which generate calls fail (one stream per concern)', () => {
    const o = resolveOptions({ rate500: 0.5, pollFaultRate: 0.5, downloadFaultRate: 0.5 });
    const seq = (d: FaultDecider, noise: number) =>
      Array.from({ length: 50 }, () => {
        for (let i = 0; i < noise; i++) {
          d.pollFault(o);
          d.downloadFault(o);
          d.batchRequestFails(o);
        }
        return d.generateFault(o);
      });
    expect(seq(new FaultDecider(5), 3)).toEqual(seq(new FaultDecider(5), 0));
  });

  it('prompt triggers win over rates; lies are drawn among the three kinds', () => {
    const d = new FaultDecider(1);
    const o = resolveOptions({ lieRate: 1 });
    expect(d.fate(o, 'x fake:block').fate).toBe('prompt-blocked');
    expect(d.fate(o, 'fake:unsafe').fate).toBe('image-safety');
    const kinds = new Set(Array.from({ length: 60 }, () => d.fate(o, 'p').lie));
    expect(kinds).toEqual(new Set(['not-an-image', 'wrong-mime-type', 'truncated-image']));
  });

  it('a permutation holds every index once', () => {
    const order = new FaultDecider(9).permutation(20);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(order).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
