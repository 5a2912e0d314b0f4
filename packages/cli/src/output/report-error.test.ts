import { PixlockError } from '@pixlock/core';
import { describe, expect, it } from 'vitest';
import { EXIT_INTERNAL, EXIT_USAGE } from '../exit-codes.js';
import { BUG_NOTICE, reportError } from './report-error.js';
import type { Terminal } from './terminal.js';

function capture(env: Terminal['env'] = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const term: Terminal = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    isTTY: false,
    cwd: '/p',
    env,
  };
  return { term, out, err };
}

describe('reportError', () => {
  it('says an INTERNAL error is a bug to report, and exits 70', () => {
    const { term, err } = capture();
    const code = reportError(term, new PixlockError('INTERNAL', 'provider called'), false);
    expect(code).toBe(EXIT_INTERNAL);
    expect(err).toEqual(['error INTERNAL: provider called', BUG_NOTICE]);
    expect(BUG_NOTICE).toMatch(/bug in pixlock.*report/);
  });

  it('keeps the bug notice in the --json document', () => {
    const { term, out } = capture();
    reportError(term, new PixlockError('INTERNAL', 'provider called'), true, 'generate');
    const doc = JSON.parse(out.join('\n')) as { error: { code: string; message: string } };
    expect(doc.error.code).toBe('INTERNAL');
    expect(doc.error.message).toContain(BUG_NOTICE);
  });

  it('prints a usage error with its diagnostics and no bug notice', () => {
    const { term, err } = capture();
    const error = new PixlockError('MANIFEST_INVALID', 'bad manifest', {
      diagnostics: [
        { file: '/p/pixlock.yaml', path: ['images'], line: 3, column: 1, message: 'm' },
      ],
    });
    expect(reportError(term, error, false)).toBe(EXIT_USAGE);
    expect(err).toEqual([
      'error MANIFEST_INVALID: bad manifest',
      '  pixlock.yaml:3:1: m (at images)',
    ]);
  });

  it("shows a bug's stack only when the terminal's environment has PIXLOCK_DEBUG", () => {
    const bug = new TypeError('x is undefined');
    const plain = capture({ PIXLOCK_DEBUG: '' });
    reportError(plain.term, bug, false);
    expect(plain.err).toEqual(['error UNKNOWN: x is undefined']);
    const debug = capture({ PIXLOCK_DEBUG: '1' });
    reportError(debug.term, bug, false);
    expect(debug.err).toEqual(['error UNKNOWN: x is undefined', bug.stack]);
  });
});
