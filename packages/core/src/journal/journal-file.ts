import {
  closeSync,
  constants,
  fdatasync,
  fstatSync,
  ftruncateSync,
  openSync,
  readSync,
  statfsSync,
  writeSync,
} from 'node:fs';
import { ShortWriteError } from '../disk/disk-error.js';

/** The file system calls a journal writes with; injected by tests (short writes, ENOSPC). */
export interface JournalIo {
  /** `fs.writeSync(fd, buffer, offset, length)`: how many bytes the system took. */
  write(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  /** `fs.fdatasync`. */
  datasync(fd: number, callback: (error: NodeJS.ErrnoException | null) => void): void;
  /** Bytes free for this process on the disk holding `dir` (undefined: unknown). */
  freeBytes(dir: string): number | undefined;
}

/** The real calls. */
export const nodeIo: JournalIo = {
  write: (fd, buffer, offset, length) => writeSync(fd, buffer, offset, length),
  datasync: (fd, callback) => fdatasync(fd, callback),
  freeBytes(dir) {
    try {
      const s = statfsSync(dir);
      return s.bavail * s.bsize;
    } catch {
      // A file system that cannot say: the writes will.
      return undefined;
    }
  },
};

/**
 * One journal file open for appending whole lines: `O_APPEND`, never through a link at its
 * name (`O_NOFOLLOW`; its folders are the caller's to check). A line the disk takes only in
 * part is cut off again (the file truncated to where the line began), so the file only ever
 * holds whole lines, and the next line starts on a line of its own.
 */
export class JournalFile {
  private constructor(
    /** The open descriptor. */
    readonly fd: number,
    /** Bytes in the file, all whole lines: where a failed write is cut back to. */
    private size: number,
    private readonly io: JournalIo,
  ) {}

  /**
   * Opens `file` for appending, creating it. A line a killed run left half-written is closed
   * off first, so the next line starts on a line of its own.
   */
  static open(file: string, io: JournalIo): JournalFile {
    const fd = openSync(
      file,
      constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW,
      0o644,
    );
    try {
      const journal = new JournalFile(fd, fstatSync(fd).size, io);
      if (journal.size > 0 && lastByte(file, journal.size) !== 0x0a)
        journal.append(Buffer.from('\n'));
      return journal;
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /** Appends `bytes`, all of them or none; throws the disk's error (or a short write). */
  append(bytes: Uint8Array): void {
    let done = 0;
    try {
      while (done < bytes.length) {
        const n = this.io.write(this.fd, bytes, done, bytes.length - done);
        if (n <= 0) throw new ShortWriteError(done, bytes.length);
        done += n;
      }
    } catch (error) {
      if (done > 0) this.cutBack();
      throw error;
    }
    this.size += bytes.length;
  }

  /** True while the file still has a name (not deleted with `.pixlock/`). */
  get linked(): boolean {
    return fstatSync(this.fd).nlink > 0;
  }

  close(): void {
    closeSync(this.fd);
  }

  private cutBack(): void {
    try {
      ftruncateSync(this.fd, this.size);
    } catch {
      // Left torn: the next line starts on a line of its own (replay skips the torn one).
      this.size = fstatSync(this.fd).size;
      this.io.write(this.fd, Buffer.from('\n'), 0, 1);
      this.size += 1;
    }
  }
}

function lastByte(file: string, size: number): number | undefined {
  const last = Buffer.alloc(1);
  const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    readSync(fd, last, 0, 1, size - 1);
  } finally {
    closeSync(fd);
  }
  return last[0];
}
