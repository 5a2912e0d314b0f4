import jsYaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { emitYaml } from './emit-yaml.js';
import { readEmittedYaml } from './read-emitted-yaml.js';

describe('readEmittedYaml', () => {
  it('reads back what emitYaml writes, as a full YAML parser does', () => {
    const data = {
      lockfileVersion: 2,
      images: {
        'a/b': {
          n: 0,
          neg: -3,
          f: 1.5,
          t: true,
          nul: null,
          s: 'x: y # z',
          q: 'yes',
          hex: '12e34',
          e: {},
          l: [],
          big: 1e21,
          tiny: -1.5e-7,
        },
        '"odd key"': {
          files: [
            { path: 'a.webp', sha: 'abc' },
            { path: 'b.webp', nested: { deep: 1 } },
            { 'key: with colon': 'c', list: [{ x: 1 }] },
          ],
          tags: ['one', 'two words'],
        },
      },
    };
    const text = emitYaml(data);
    expect(readEmittedYaml(text)).toEqual(data);
    expect(readEmittedYaml(text)).toEqual(jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA }));
  });

  it.each([
    ['flow maps', 'a: { b: 1 }\n'],
    ['tabs and odd indents', 'a:\n   b: 1\n'],
    ['anchors', 'a: &x 1\nb: *x\n'],
    ['multi-line strings', 'a: |\n  text\n'],
    ['comments after values', 'a: 1 # note\n'],
    ['Windows line ends', 'a: 1\r\nb: 2\r\n'],
    ['a tab in an indent', 'a:\n  \tb: 1\n'],
    ['a space before a colon', 'a :\n  b: 1\n'],
    ['a plain value a YAML reader takes for a number', 'a: 12e34\n'],
    ['a plain value a YAML reader may take for a boolean', 'a: yes\n'],
    ['a space after a key with no value', 'a: \n  b: 1\n'],
    ['a line with no key', 'a:\n  just text\n'],
  ])('gives up on %s so the caller falls back to a full parser', (_what, text) => {
    expect(readEmittedYaml(text)).toBeUndefined();
  });
});
