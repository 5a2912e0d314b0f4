import { describe, expect, it } from 'vitest';
import { limit, nonNegative, port, probability, stringList, text } from './option-checks.js';
import { optionsResolver } from './resolve-options.js';
import type { OptionsSpec } from './resolve-options.js';

interface Options {
  port: number;
  host: string;
  keys: string[];
  rate: number;
  latencyMs: number;
  limit: number;
  retryAfter: number | undefined;
}

const defaults: Readonly<Options> = Object.freeze({
  port: 0,
  host: '127.0.0.1',
  keys: ['k'],
  rate: 0,
  latencyMs: 20,
  limit: 5,
  retryAfter: undefined,
});

const SPEC: OptionsSpec<Options> = {
  name: 'fake-test',
  defaults,
  checks: {
    port,
    host: text,
    keys: stringList,
    rate: probability,
    latencyMs: nonNegative,
    limit,
    retryAfter: (v) => (v === undefined ? undefined : nonNegative(v)),
  },
};

const { resolveOptions, changeOptions } = optionsResolver(SPEC);

describe('resolveOptions', () => {
  it('merges a patch over the base, checking only what the patch gives', () => {
    expect(resolveOptions()).toEqual(defaults);
    expect(resolveOptions({ rate: 0.5 })).toEqual({ ...defaults, rate: 0.5 });
    const base = { ...defaults, latencyMs: 7 };
    expect(resolveOptions({ limit: Infinity }, base)).toMatchObject({
      latencyMs: 7,
      limit: Infinity,
    });
  });

  it('names the fake, the option, what it must be and what it got', () => {
    expect(() => resolveOptions({ rate: 1.5 }, defaults)).toThrow(
      new TypeError('fake-test: option rate must be a probability between 0 and 1, got 1.5'),
    );
    expect(() => resolveOptions({ latencyMs: NaN }, defaults)).toThrow(
      'latencyMs must be a finite number >= 0, got NaN',
    );
    expect(() => resolveOptions({ port: 70000 }, defaults)).toThrow('an integer port');
    expect(() => resolveOptions({ limit: 2.5 }, defaults)).toThrow('or Infinity');
    expect(() => resolveOptions({ keys: ['a', ''] }, defaults)).toThrow('non-empty strings');
  });

  it('refuses an unknown option (a typo) and a patch that is not an object', () => {
    expect(() => resolveOptions({ latency: 5 } as never, defaults)).toThrow(
      new TypeError('fake-test: unknown option "latency"'),
    );
    for (const patch of [null, [], 'x']) {
      expect(() => resolveOptions(patch as never, defaults)).toThrow(
        new TypeError('fake-test options must be an object'),
      );
    }
  });

  it('an explicit undefined means the default, also over a base that changed it', () => {
    const base = resolveOptions({ latencyMs: 99, retryAfter: 3 }, defaults);
    expect(resolveOptions({ latencyMs: undefined }, base).latencyMs).toBe(20);
    expect(resolveOptions({ retryAfter: undefined }, base).retryAfter).toBeUndefined();
  });

  it('copies lists both ways: neither the caller nor the result can change the other', () => {
    const keys = ['a'];
    const o = resolveOptions({ keys }, defaults);
    keys.push('b');
    o.keys.push('c');
    expect(o.keys).toEqual(['a', 'c']);
    expect(keys).toEqual(['a', 'b']);
    resolveOptions({}, defaults).keys.push('mutated');
    expect(defaults.keys).toEqual(['k']);
  });
});

describe('changeOptions', () => {
  it('changes what a running fake may change, never its port or host', () => {
    const current = resolveOptions({ port: 4000 }, defaults);
    expect(changeOptions({ rate: 1 }, current)).toMatchObject({ port: 4000, rate: 1 });
    expect(changeOptions({ port: 4000 }, current).port).toBe(4000);
    for (const patch of [{ port: 4001 }, { host: '::1' }]) {
      expect(() => changeOptions(patch, current)).toThrow(
        new TypeError('fake-test: port and host cannot change while running'),
      );
    }
    expect(() => changeOptions({ rate: -1 }, current)).toThrow(TypeError);
  });
});
