import { renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { isPixlockError, PixlockError } from '../errors.js';
import type { LockEntry, PendingTask } from '../lock/lockfile.js';
import type { CreateJournal } from './create-journal.js';
import { asDiskError, DISK_ADVICE } from '../disk/disk-error.js';
import { JournalFile, nodeIo, type JournalIo } from './journal-file.js';

export type { JournalIo } from './journal-file.js';
import { SafeFolders } from '../disk/safe-folders.js';
import type { Reserve } from '../disk/space-reserve.js';

/** One line of the journal: a change of the lock, or a paid create on its way. */
export type JournalLine =
  | { sent: string; record: PendingTask }
  | { settled: string }
  | { pending: string; task: PendingTask }
  | { unpending: string }
  | { image: string; entry: LockEntry }
  | { remove: string };

/**
 * Free space below which no task is created: its original, outputs and lines would not fit,
 * and it would be paid for only to fail (the reserve is kept apart, for tasks already paid).
 */
export const MIN_FREE_BYTES = 64 * 1024;

/** Options of a {@link LockJournal}. */
export interface LockJournalOptions {
  /** Where the journal goes while the lock is being rewritten (see {@link LockJournal.rotate}). */
  oldFile?: string;
  /** Space to give back when the line of a paid task does not fit (space-reserve.ts). */
  reserve?: Reserve;
  io?: JournalIo;
}

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
 *
 * A line is whole on disk or was never acknowledged: a write the disk took only in part is
 * cut off again (the file truncated to where the line began) and reported as DISK_FULL. The
 * lines that carry what a paid task needs (its id, its create settled) may use the run's
 * reserve (space-reserve.ts): when one does not fit, the reserve is given back and the line written
 * again. Files are opened, moved and removed through no symlink (safe-folders.ts).
 */
export class LockJournal implements CreateJournal {
  private journal: JournalFile | undefined;
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
  /** The first full or failing disk seen, even one the reserve got past: no task may start. */
  fault: PixlockError | undefined;
  readonly oldFile: string;
  private readonly safe: SafeFolders;
  private readonly io: JournalIo;

  constructor(
    readonly file: string,
    private readonly options: LockJournalOptions = {},
  ) {
    this.oldFile = options.oldFile ?? `${file}.old`;
    // The journal lives in `.pixlock/` below the project folder.
    this.safe = new SafeFolders(path.dirname(path.dirname(file)));
    this.io = options.io ?? nodeIo;
  }

  /**
   * Notes a paid create about to be sent; throws (and it must not be sent) when that fails, or
   * when the disk has less than {@link MIN_FREE_BYTES} free: a full disk is seen before a task
   * is paid for, not when its download fails.
   */
  sent(id: string, record: PendingTask): void {
    const free = this.io.freeBytes(path.dirname(this.file));
    if (free !== undefined && free < MIN_FREE_BYTES) {
      const dir = path.dirname(this.file);
      throw this.failed(
        new PixlockError(
          'DISK_FULL',
          `only ${free} bytes are free on the disk of ${dir}, under the ${MIN_FREE_BYTES} a new task needs, so none is created; ${DISK_ADVICE}`,
          { details: { errno: 'ENOSPC', path: dir, free } },
        ),
      );
    }
    this.append({ sent: id, record }, false);
    this.open.set(id, record);
  }

  /**
   * Notes that a create's outcome is recorded. Never throws: a settled line that does not fit
   * even with the reserve leaves the create open, and the next run holds that image.
   */
  settled(id: string): void {
    try {
      this.append({ settled: id }, true);
      this.open.delete(id);
    } catch {
      // Kept in `fault` by append.
    }
  }

  /**
   * Appends a change of the lock and resolves once it is on disk; rejects (DISK_FULL,
   * DISK_ERROR) when it could not be written whole or synced. Resolves `false` when the
   * journal file turned out to be gone (`.pixlock/` deleted mid-run): the change is then on
   * disk only once the caller has rewritten the lock.
   */
  async record(line: JournalLine): Promise<boolean> {
    this.append(line, 'pending' in line);
    this.changes++;
    const mine = this.writes;
    const epoch = this.epoch;
    while (this.synced < mine) {
      if (!this.syncing) {
        const upTo = this.writes;
        const fd = this.journal!.fd;
        const started = this.epoch;
        this.syncing = new Promise<void>((resolve, reject) =>
          this.io.datasync(fd, (error) => (error ? reject(error) : resolve())),
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
            throw this.failed(error);
          },
        );
      }
      await this.syncing;
    }
    // Rotated since this line was appended: it is on disk once the lock holding it is.
    if (this.epoch !== epoch) return false;
    return this.journal?.linked ?? false;
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
    if (this.rotating && this.journal !== undefined) return;
    if (this.journal !== undefined) {
      this.journal.close();
      this.journal = undefined;
      this.epoch++;
      try {
        renameSync(this.checked(this.file), this.checked(this.oldFile));
      } catch (error) {
        // Deleted with `.pixlock/`: nothing to keep, the lock about to be written holds it all.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      this.rotating = true;
    }
    for (const [id, record] of this.open) this.append({ sent: id, record }, true);
  }

  /** The lock holding every change is on disk: the old journal file can go. */
  async finishRotation(): Promise<void> {
    if (this.journal !== undefined) {
      const { fd } = this.journal;
      await new Promise<void>((resolve, reject) =>
        this.io.datasync(fd, (error) => (error ? reject(this.failed(error)) : resolve())),
      );
    }
    rmSync(this.checked(this.oldFile), { force: true });
    this.rotating = false;
  }

  /** Closes the journal, and removes its file when nothing in it is still needed. */
  close(): void {
    this.journal?.close();
    this.journal = undefined;
    if (this.open.size === 0 && this.changes === 0)
      rmSync(this.checked(this.file), { force: true });
  }

  /**
   * `file` (one of the journal's two) after checking no folder on its way is a link; its
   * folder made when `create` is set (opening it), else the path as it is (a rename or removal
   * of a file whose folder is gone then fails, or does nothing, as before).
   */
  private checked(file: string, create = false): string {
    const rel = path.relative(this.safe.root, file).split(path.sep).join('/');
    return this.safe.resolve(rel, create) ?? file;
  }

  /**
   * One synchronous write per line: small, in order, and not queued behind image work on the
   * libuv pool. A write to a journal deleted with `.pixlock/` is caught by `record`.
   */
  private append(line: JournalLine, mayUseReserve: boolean): void {
    const bytes = Buffer.from(JSON.stringify(line) + '\n');
    try {
      this.journal ??= JournalFile.open(this.checked(this.file, true), this.io);
      this.journal.append(bytes);
    } catch (error) {
      const fault = this.failed(error);
      if (!(mayUseReserve && isPixlockError(fault, 'DISK_FULL') && this.options.reserve?.release()))
        throw fault;
      try {
        this.journal ??= JournalFile.open(this.checked(this.file, true), this.io);
        this.journal.append(bytes);
      } catch (again) {
        throw this.failed(again);
      }
    }
    this.writes++;
  }

  /** The error as the run reports it, the first disk fault kept in {@link fault}. */
  private failed(error: unknown): PixlockError | Error {
    const disk = asDiskError(error, this.file, 'writing the journal');
    if (disk) {
      this.fault ??= disk;
      return disk;
    }
    return error as Error;
  }
}
