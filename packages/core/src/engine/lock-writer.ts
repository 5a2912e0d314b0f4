import type { LockJournal, JournalLine } from '../journal/lock-journal.js';
import type { LockEntry, Lockfile, PendingTask } from '../lock/lockfile.js';
import { serializeLock } from '../lock/serialize-lock.js';
import { dropImagePending } from '../lock/task-key.js';

/**
 * Owns the lock during a run. Every change is on disk when its promise resolves.
 *
 * With a journal (what `generate` passes), a change is one line appended to it (O(1), see
 * lock-journal.ts) and the lock file is rewritten once, by {@link flush} at the end of the
 * run. Without one, the whole lock is rewritten (atomically, by the store) per change; changes
 * that arrive while a write is in flight are folded into the next write.
 */
export class LockWriter {
  private writing: Promise<void> | undefined;
  /** Changes made so far, and how many of them are on disk. */
  private changes = 0;
  private written = 0;
  private compacting: Promise<void> | undefined;

  constructor(
    private readonly lock: Lockfile,
    private readonly write: (text: string) => Promise<void>,
    private readonly journal?: LockJournal,
  ) {}

  /** The lock as it stands in memory. */
  get current(): Lockfile {
    return this.lock;
  }

  /**
   * Records a task the provider accepted; resolves once that is on disk. `key` is the task's
   * (task-key.ts): the image id, or `<id>#<n>` for a later candidate.
   */
  setPending(key: string, task: PendingTask): Promise<void> {
    this.lock.pending[key] = task;
    return this.save({ pending: key, task });
  }

  /** Forgets a pending task (it failed or was lost), by task key. */
  clearPending(key: string): Promise<void> {
    delete this.lock.pending[key];
    return this.save({ unpending: key });
  }

  /** Records a finished image and drops its pending tasks (every candidate's). */
  setImage(id: string, entry: LockEntry): Promise<void> {
    this.lock.images[id] = entry;
    dropImagePending(this.lock.pending, id);
    return this.save({ image: id, entry });
  }

  /** Drops an image. */
  removeImage(id: string): Promise<void> {
    delete this.lock.images[id];
    dropImagePending(this.lock.pending, id);
    return this.save({ remove: id });
  }

  /**
   * Resolves when no write is in flight (every change's own caller learns if it failed). With
   * a journal, folds it into the lock file: the lock is rewritten once and the journal emptied.
   */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.journal && this.journal.changes > 0) await this.compact();
    while (this.compacting) await this.compacting;
  }

  private async save(line: JournalLine): Promise<void> {
    if (this.journal) {
      // The journal was deleted (with `.pixlock/`) under us: the change is safe only once the
      // whole lock, which holds it, is written.
      if (!(await this.journal.record(line))) await this.compact();
      return;
    }
    // Each caller waits for the first write that holds its own change, not for the lock to be
    // quiet: under a steady stream of changes "until nothing is dirty" could take many writes,
    // and a create waits on this with a provider slot held.
    const mine = ++this.changes;
    while (this.written < mine) {
      if (this.writing) {
        await this.writing;
        continue;
      }
      const upTo = this.changes;
      const writing = this.write(serializeLock(this.lock)).then(() => {
        this.written = upTo;
      });
      // What others wait on never rejects: a failed write is this caller's to report, and
      // theirs to try again.
      this.writing = writing.then(
        () => (this.writing = undefined),
        () => (this.writing = undefined),
      );
      await writing;
    }
  }

  /** Writes the whole lock and starts the journal afresh (see LockJournal.rotate). */
  private compact(): Promise<void> {
    const journal = this.journal!;
    const compacting = (this.compacting ?? Promise.resolve()).then(async () => {
      // Rotate and snapshot in one synchronous step: the text holds every change of the
      // journal file set aside, and later changes go to the new one.
      journal.rotate();
      await this.write(serializeLock(this.lock));
      await journal.finishRotation();
    });
    // What later compactions queue behind never rejects: the caller gets the error.
    const quiet = compacting.then(
      () => undefined,
      () => undefined,
    );
    this.compacting = quiet;
    void quiet.then(() => {
      if (this.compacting === quiet) this.compacting = undefined;
    });
    return compacting;
  }
}
