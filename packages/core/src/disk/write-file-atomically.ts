import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { asDiskError, ShortWriteError } from './disk-error.js';

/**
 * Writes `data` to `target` atomically: into `temp` (a fresh path, normally under
 * `.pixlock/tmp/` on the same file system), fsynced, then renamed over `target`, so a reader or
 * a kill at any instant sees the old file or the new one. Written here rather than with
 * write-file-atomic, which ignores how many bytes a write took: on a full tmpfs a write takes
 * what fits and says so only in that count, and it renamed a lock cut at 4096 bytes into
 * place. Every byte is checked written; on any failure the temporary file is removed and the
 * target left as it was. A full or failing disk is a DISK_FULL / DISK_ERROR naming `target`.
 *
 * Without `temp` (a file outside any project, a path the user chose), or when `target` is on
 * another file system than `temp` (an outDir that is a mount point), the file is written
 * beside `target` instead, under a name no pixlock file has, and renamed the same way.
 */
export async function writeFileAtomically(
  target: string,
  data: string | Uint8Array,
  temp?: string,
): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  // Not named after the target: an output name may already be as long as a name can be.
  const beside = () =>
    path.join(path.dirname(target), `.pixlock-tmp-${randomBytes(6).toString('hex')}`);
  try {
    await writeThenRename(temp ?? beside(), target, bytes);
  } catch (error) {
    if (temp === undefined || (error as NodeJS.ErrnoException).code !== 'EXDEV')
      throw asDiskError(error, target) ?? error;
    try {
      await writeThenRename(beside(), target, bytes);
    } catch (again) {
      throw asDiskError(again, target) ?? again;
    }
  }
}

async function writeThenRename(temp: string, target: string, bytes: Uint8Array): Promise<void> {
  try {
    const handle = await open(temp, 'wx');
    try {
      await writeAll(handle, bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** Writes every byte, or throws: a write that takes nothing is a full disk too. */
export async function writeAll(
  handle: { write(b: Uint8Array, o: number, l: number): Promise<{ bytesWritten: number }> },
  bytes: Uint8Array,
): Promise<void> {
  for (let done = 0; done < bytes.length;) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done);
    if (bytesWritten <= 0) throw new ShortWriteError(done, bytes.length);
    done += bytesWritten;
  }
}
