import { PixlockError } from '@pixlock/core';
import { describe, expect, it } from 'vitest';
import { toViteError } from './vite-error.js';

describe('toViteError', () => {
  it('points a manifest error at its first problem and lists them all', () => {
    const error = new PixlockError('MANIFEST_INVALID', 'the manifest has 2 problems', {
      diagnostics: [
        { file: '/app/pixlock.yaml', path: ['images', 'hero'], line: 7, column: 5, message: 'bad' },
        { file: '/app/more.yaml', path: [], line: 2, column: 1, message: 'worse' },
      ],
    });
    expect(toViteError(error, '/app')).toEqual({
      message: [
        'the manifest has 2 problems',
        '  pixlock.yaml:7:5: bad (at images.hero)',
        '  more.yaml:2:1: worse',
      ].join('\n'),
      id: '/app/pixlock.yaml',
      loc: { file: '/app/pixlock.yaml', line: 7, column: 5 },
      pluginCode: 'MANIFEST_INVALID',
      stack: '',
    });
  });

  it('keeps the code of other pixlock errors and the stack of anything else', () => {
    expect(toViteError(new PixlockError('PROVIDER_AUTH', 'no key'))).toEqual({
      message: 'no key',
      pluginCode: 'PROVIDER_AUTH',
      stack: '',
    });
    const bug = new Error('bug');
    expect(toViteError(bug)).toEqual({ message: 'bug', stack: bug.stack });
  });

  it('keeps the stack of an INTERNAL error: it is a bug to report', () => {
    const bug = new PixlockError('INTERNAL', 'provider called');
    expect(toViteError(bug)).toEqual({
      message: 'provider called',
      pluginCode: 'INTERNAL',
      stack: bug.stack,
    });
  });
});
