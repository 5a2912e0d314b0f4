import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { asDiskError } from './disk-error.js';
import { writeAll } from './write-file-atomically.js';

/** Space that can be given back to the disk at once. */
export interface Reserve {
  /** Gives the space back; true when it was still held (so a write may now fit). */
  release(): boolean;
}

/**
 * Space set aside on the project's disk while a run may pay for tasks: a file in
 * `.pixlock/tmp/` that is deleted the moment the journal cannot write the id of a task already
 * paid for (a full disk), so that line still fits. Node cannot preallocate a file's blocks
 * (no fallocate), so the file is written in full, with random bytes a compressing file system
 * cannot shrink. Once released, the disk is known to be full and the run creates no more tasks.
 */
export class SpaceReserve implements Reserve {
  private held = true;

  private constructor(
    /** The reserve's file. */
    readonly file: string,
    /** Its size in bytes. */
    readonly bytes: number,
  ) {}

  /**
   * Writes the reserve; a disk with less room than that is a DISK_FULL naming the file (and
   * no task is created). `file` must be a fresh path pixlock checked (no link on its way).
   */
  static async create(file: string, bytes: number): Promise<SpaceReserve> {
    try {
      const handle = await open(file, 'wx');
      try {
        await writeAll(handle, randomBytes(bytes));
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      rmSync(file, { force: true });
      throw asDiskError(error, file) ?? error;
    }
    return new SpaceReserve(file, bytes);
  }

  /** True until {@link release}. */
  get intact(): boolean {
    return this.held;
  }

  /** Gives the space back to the disk; true when it was still held (so a write may now fit). */
  release(): boolean {
    if (!this.held) return false;
    this.held = false;
    rmSync(this.file, { force: true });
    return true;
  }
}

/**
 * How much to set aside for a run with `concurrency` tasks in flight: each may need its
 * `pending` line (about 300 bytes) and its `settled` line after the disk filled up, and the
 * images finishing meanwhile append theirs (about 1 KiB each). 64 KiB covers the usual
 * concurrency many times over; the reserve grows with it.
 */
export function reserveBytes(concurrency: number): number {
  return 64 * 1024 + Math.max(0, concurrency) * 2048;
}
