import type { LockEntry, Lockfile, PendingTask } from '../lock/lockfile.js';
import { serializeLock } from '../lock/serialize-lock.js';

/**
 * Owns the lock during a run. Every change is written to disk at once (atomically, by the
 * store); changes that arrive while a write is in flight are folded into the next write, so
 * a burst of completions costs two writes, not one per image.
 */
export class LockWriter {
  private writing: Promise<void> | undefined;
  /** Changes made so far, and how many of them are on disk. */
  private changes = 0;
  private written = 0;

  constructor(
    private readonly lock: Lockfile,
    private readonly write: (text: string) => Promise<void>,
  ) {}

  /** The lock as it stands in memory. */
  get current(): Lockfile {
    return this.lock;
  }

  /** Records a task the provider accepted; resolves once that is on disk. */
  setPending(id: string, task: PendingTask): Promise<void> {
    this.lock.pending[id] = task;
    return this.save();
  }

  /** Forgets a pending task (it failed or was lost). */
  clearPending(id: string): Promise<void> {
    delete this.lock.pending[id];
    return this.save();
  }

  /** Records a finished image and drops its pending task. */
  setImage(id: string, entry: LockEntry): Promise<void> {
    this.lock.images[id] = entry;
    delete this.lock.pending[id];
    return this.save();
  }

  /** Drops an image. */
  removeImage(id: string): Promise<void> {
    delete this.lock.images[id];
    delete this.lock.pending[id];
    return this.save();
  }

  /** Resolves when no write is in flight (every change's own caller learns if it failed). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async save(): Promise<void> {
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
}
