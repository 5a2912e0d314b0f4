import { PixlockError } from '@pixlock/core';
import { describe, expect, it } from 'vitest';
import {
  EXIT_CLAIMED,
  EXIT_DISK,
  EXIT_FAILED,
  EXIT_INTERNAL,
  EXIT_USAGE,
  exitCodeFor,
} from './exit-codes.js';

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

  it('exits 74 (EX_IOERR) for a full or failing disk, apart from an image that failed', () => {
    expect(exitCodeFor(new PixlockError('DISK_FULL', 'x'))).toBe(EXIT_DISK);
    expect(exitCodeFor(new PixlockError('DISK_ERROR', 'x'))).toBe(EXIT_DISK);
    expect(EXIT_DISK).toBe(74);
  });

  it('exits 75 (EX_TEMPFAIL) for a shard another runner holds: try again later', () => {
    expect(exitCodeFor(new PixlockError('SHARD_CLAIMED', 'x'))).toBe(EXIT_CLAIMED);
    expect(EXIT_CLAIMED).toBe(75);
  });

  it('exits 1 for a failure of the world: provider, path refused, anything not pixlock', () => {
    expect(exitCodeFor(new PixlockError('PROVIDER_CREDITS', 'x'))).toBe(EXIT_FAILED);
    expect(exitCodeFor(new PixlockError('PROCESSING_FAILED', 'x'))).toBe(EXIT_FAILED);
    expect(exitCodeFor(new Error('EACCES'))).toBe(EXIT_FAILED);
    expect(exitCodeFor('thrown string')).toBe(EXIT_FAILED);
  });
});
