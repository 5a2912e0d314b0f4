import {
  closeSync,
  fdatasync,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type { LockEntry, PendingTask } from '../lock/lockfile.js';
import type { CreateJournal } from './create-journal.js';

/** One line of the journal: a change of the lock, or a paid create on its way. */
export type JournalLine =
  | { sent: string; record: PendingTask }
  | { settled: string }
  | { pending: string; task: PendingTask }
  | { unpending: string }
  | { image: string; entry: LockEntry }
  | { remove: string };

/**
 * The lock's journal, `.pixlock/journal.jsonl`: during a run every change of the lock is one
 * appended line rather than a rewrite of the whole lock, so recording an image costs the same
 * at the 100,000th image as at the first. The lock itself is rewritten (atomically) once, when
 * the run ends; a run that dies leaves the journal, and the next run reads the lock, replays
 * the journal over it and writes the result (see replay-journal.ts).
 *
 * A lock change resolves only once its line is on disk (fdatasync, shared by the changes that
 * arrive meanwhile), which is the guarantee the whole-lock rewrite gave: a task id is durable
 * before the first poll. `sent`/`settled` lines (paid creates on their way) are written at once
 * but not synced, as before: they survive the process being killed, not a power cut.
 */
export class LockJournal implements CreateJournal {
  private fd: number | undefined;
  /** Creates sent and not yet settled: carried over into each new journal file. */
  private readonly open = new Map<string, PendingTask>();
  private writes = 0;
  private synced = 0;
  private syncing: Promise<void> | undefined;
  /** Lock changes in the journal that the lock file on disk does not hold yet. */
  changes = 0;
  /** A rotation whose lock write has not succeeded yet: its old file is still needed. */
  private rotating = false;
  /** Bumped each time {@link rotate} closes the file: a sync of the old descriptor may fail. */
  private epoch = 0;

  constructor(
    readonly file: string,
    /** Where the journal goes while the lock is being rewritten (see {@link rotate}). */
    readonly oldFile = `${file}.old`,
  ) {}

  sent(id: string, record: PendingTask): void {
    this.open.set(id, record);
    this.append({ sent: id, record });
  }

  settled(id: string): void {
    this.open.delete(id);
    this.append({ settled: id });
  }

  /**
   * Appends a change of the lock and resolves once it is on disk. Resolves `false` when the
   * journal file turned out to be gone (`.pixlock/` deleted mid-run): the change is then on
   * disk only once the caller has rewritten the lock.
   */
  async record(line: JournalLine): Promise<boolean> {
    this.append(line);
    this.changes++;
    const mine = this.writes;
    const epoch = this.epoch;
    while (this.synced < mine) {
      if (!this.syncing) {
        const upTo = this.writes;
        const fd = this.fd!;
        const started = this.epoch;
        this.syncing = new Promise<void>((resolve, reject) =>
          fdatasync(fd, (error) => (error ? reject(error) : resolve())),
        ).then(
          () => {
            this.synced = Math.max(this.synced, upTo);
            this.syncing = undefined;
          },
          (error: unknown) => {
            this.syncing = undefined;
            // A rotation closed the descriptor under this sync (a compaction, say after
            // `.pixlock/` was deleted): the lines it held are in the lock being rewritten,
            // and their callers learn to wait for that below.
            if (this.epoch !== started && (error as NodeJS.ErrnoException).code === 'EBADF') {
              this.synced = Math.max(this.synced, upTo);
              return;
            }
            throw error;
          },
        );
      }
      await this.syncing;
    }
    // Rotated since this line was appended: it is on disk once the lock holding it is.
    if (this.epoch !== epoch) return false;
    return this.fd !== undefined && fstatSync(this.fd).nlink > 0;
  }

  /**
   * Starts a fresh journal file because the lock is about to be rewritten with every change
   * made so far: the current file moves to {@link oldFile} (read too by the next run, should
   * this one die before {@link finishRotation}) and the new one starts with the creates still
   * on their way. Synchronous, so no change slips between the rename and the caller's snapshot
   * of the lock.
   */
  rotate(): void {
    this.changes = 0;
    // The last rotation's lock write failed: its old file still holds changes the lock on
    // disk lacks, so keep it and keep appending here (replaying both is harmless).
    if (this.rotating && this.fd !== undefined) return;
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
      this.epoch++;
      try {
        renameSync(this.file, this.oldFile);
      } catch (error) {
        // Deleted with `.pixlock/`: nothing to keep, the lock about to be written holds it all.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      this.rotating = true;
    }
    for (const [id, record] of this.open) this.append({ sent: id, record });
  }

  /** The lock holding every change is on disk: the old journal file can go. */
  async finishRotation(): Promise<void> {
    if (this.fd !== undefined) {
      const fd = this.fd;
      await new Promise<void>((resolve, reject) =>
        fdatasync(fd, (error) => (error ? reject(error) : resolve())),
      );
    }
    rmSync(this.oldFile, { force: true });
    this.rotating = false;
  }

  /** Closes the journal, and removes its file when nothing in it is still needed. */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    if (this.open.size === 0 && this.changes === 0) rmSync(this.file, { force: true });
  }

  private append(line: JournalLine): void {
    // One synchronous write per line: small, in order, and not queued behind image work on
    // the libuv pool. A write to a journal deleted with `.pixlock/` is caught by `record`.
    if (this.fd === undefined) this.fd = openJournal(this.file);
    writeSync(this.fd, JSON.stringify(line) + '\n');
    this.writes++;
  }
}

/**
 * Opens a journal for appending, making its folder when it is missing. A line a killed run
 * left half-written is closed off first, so the next line starts on a line of its own.
 */
function openJournal(file: string): number {
  mkdirSync(path.dirname(file), { recursive: true });
  const fd = openSync(file, 'a+');
  const size = fstatSync(fd).size;
  if (size > 0) {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    if (last[0] !== 0x0a) writeSync(fd, '\n');
  }
  return fd;
}
