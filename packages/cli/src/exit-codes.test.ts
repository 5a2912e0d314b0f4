import { PixlockError } from '@pixlock/core';
import { describe, expect, it } from 'vitest';
import { EXIT_FAILED, EXIT_INTERNAL, EXIT_USAGE, exitCodeFor } from './exit-codes.js';

describe('exitCodeFor', () => {
  it('exits 2 for what the user can fix in the manifest, lock or arguments', () => {
    for (const code of ['MANIFEST_INVALID', 'MANIFEST_NOT_FOUND', 'LOCK_INVALID', 'USAGE'] as const)
      expect(exitCodeFor(new PixlockError(code, 'x'))).toBe(EXIT_USAGE);
  });

  it('exits 70, not 2, for a bug in pixlock', () => {
    expect(exitCodeFor(new PixlockError('INTERNAL', 'x'))).toBe(EXIT_INTERNAL);
    expect(EXIT_INTERNAL).not.toBe(EXIT_USAGE);
    expect(EXIT_INTERNAL).not.toBe(EXIT_FAILED);
  });

  it('exits 1 for a failure of the world: provider, disk, anything not pixlock', () => {
    expect(exitCodeFor(new PixlockError('PROVIDER_CREDITS', 'x'))).toBe(EXIT_FAILED);
    expect(exitCodeFor(new PixlockError('PROCESSING_FAILED', 'x'))).toBe(EXIT_FAILED);
    expect(exitCodeFor(new Error('EACCES'))).toBe(EXIT_FAILED);
    expect(exitCodeFor('thrown string')).toBe(EXIT_FAILED);
  });
});
