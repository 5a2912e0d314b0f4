import { isPixlockError, PixlockError } from '../errors.js';

// A full disk and a quota are the same to the user: free space, run again.
const FULL = new Set(['ENOSPC', 'EDQUOT']);
// The disk itself refuses: nothing a retry of the same write would change.
const FAILING = new Set(['EIO', 'EROFS', 'EFBIG']);

const WHAT: Record<string, string> = {
  ENOSPC: 'no space left on the disk',
  EDQUOT: 'the disk quota is used up',
  EIO: 'the disk failed (input/output error)',
  EROFS: 'the file system is read-only',
  EFBIG: 'the file system refused the file as too large',
};

/** Said after every disk error of a run: what to do, and that nothing paid is lost. */
export const DISK_ADVICE =
  'free some space (or fix the disk) and run pixlock generate again: tasks already paid for are resumed, not paid again';

/** A write the system accepted only in part: as good as a full disk (tmpfs, quotas). */
export class ShortWriteError extends Error {
  readonly code = 'ENOSPC';
  constructor(
    readonly written: number,
    readonly wanted: number,
  ) {
    super(`short write: ${written} of ${wanted} bytes`);
  }
}

/** True for an error of a disk that is full or failing (already classified, or a system error). */
export function isDiskFault(error: unknown): boolean {
  if (isPixlockError(error, 'DISK_FULL', 'DISK_ERROR')) return true;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && (FULL.has(code) || FAILING.has(code));
}

/**
 * The error of a disk that is full or failing as a {@link PixlockError} (DISK_FULL or
 * DISK_ERROR) naming the file, or undefined for any other error. One already classified is
 * returned as it is; `file` stands in for a system error that names none (a `write`).
 */
export function asDiskError(
  error: unknown,
  file?: string,
  doing = 'writing',
): PixlockError | undefined {
  if (isPixlockError(error, 'DISK_FULL', 'DISK_ERROR')) return error;
  if (!isDiskFault(error)) return undefined;
  const e = error as NodeJS.ErrnoException;
  const code = e.code!;
  const where = e.path ?? file;
  const short = error instanceof ShortWriteError ? `; ${error.message}` : '';
  return new PixlockError(
    FULL.has(code) ? 'DISK_FULL' : 'DISK_ERROR',
    `${WHAT[code]} ${doing}${where ? ` ${where}` : ''} (${code}${short}); ${DISK_ADVICE}`,
    { cause: error, details: { errno: code, ...(where && { path: where }) } },
  );
}

/** Like {@link asDiskError}, but any error that is not a disk fault is returned unchanged. */
export function diskErrorOr(error: unknown, file?: string, doing?: string): unknown {
  return asDiskError(error, file, doing) ?? error;
}
