import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/** Why a file was not read: not a regular file, a symlink where none is followed, too large. */
export class NotRegularFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: 'symlink' | 'not-a-file' | 'too-large',
    readonly limit?: number,
  ) {
    super(
      reason === 'symlink'
        ? `${file} is a symbolic link: pixlock reads it only as a regular file`
        : reason === 'not-a-file'
          ? `${file} is not a regular file (a folder, device, FIFO or socket)`
          : `${file} is larger than ${limit} bytes`,
    );
  }
}

/** Options of {@link readRegularFile}. */
export interface ReadRegularFileOptions {
  /** Refuse anything larger (a file that never ends, or one far beyond any real project). */
  maxBytes: number;
  /** Follow a symlink at the last component (default: refuse it). */
  follow?: boolean;
}

/**
 * Reads a file of the project (manifest, lock, journal, cache) only if it is a regular file
 * no larger than `maxBytes`. Opened without blocking, so a FIFO cannot hang the process (a
 * blocked open cannot even be abandoned at exit: Node waits for its thread), and checked on the
 * open descriptor, so a device such as /dev/zero is refused before a byte is read. Without
 * `follow`, a symlink at the last component is refused (ELOOP), so the file cannot lead out of
 * the repository. Throws {@link NotRegularFileError}, or the system's error (ENOENT, EACCES).
 */
export async function readRegularFile(
  file: string,
  options: ReadRegularFileOptions,
): Promise<Buffer> {
  const flags =
    constants.O_RDONLY | constants.O_NONBLOCK | (options.follow ? 0 : constants.O_NOFOLLOW);
  let handle;
  try {
    handle = await open(file, flags);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP')
      throw new NotRegularFileError(file, 'symlink');
    throw error;
  }
  try {
    const s = await handle.stat();
    if (!s.isFile()) throw new NotRegularFileError(file, 'not-a-file');
    if (s.size > options.maxBytes)
      throw new NotRegularFileError(file, 'too-large', options.maxBytes);
    const bytes = await handle.readFile();
    // It grew while being read: bounded all the same.
    if (bytes.length > options.maxBytes)
      throw new NotRegularFileError(file, 'too-large', options.maxBytes);
    return bytes;
  } finally {
    await handle.close();
  }
}

/** A cache file's text, or undefined for any problem at all (a cache is only a speed-up). */
export async function readCacheText(file: string): Promise<string | undefined> {
  return readRegularFile(file, { maxBytes: CACHE_MAX_BYTES }).then(
    (b) => b.toString('utf8'),
    () => undefined,
  );
}

/** Largest cache file read: about what a 300,000-image project writes. */
export const CACHE_MAX_BYTES = 400 * 2 ** 20;

/** Largest lock or journal read: JavaScript strings end near 512 MiB; about 250,000 images. */
export const LOCK_MAX_BYTES = 256 * 2 ** 20;

/** Largest manifest file read: ten times the 100,000-image manifests of the benchmarks. */
export const MANIFEST_MAX_BYTES = 128 * 2 ** 20;
