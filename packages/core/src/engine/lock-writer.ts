import type { LockEntry, Lockfile, PendingTask } from '../lock/lockfile.js';
import { serializeLock } from '../lock/serialize-lock.js';

/**
 * Owns the lock during a run. Every change is written to disk at once (atomically, by the
 * store); changes that arrive while a write is in flight are folded into the next write, so
 * a burst of completions costs two writes, not one per image.
 */
export class LockWriter {
  private writing: Promise<void> | undefined;
  private dirty = false;

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

  /** Resolves when everything changed so far is on disk (at once when nothing changed). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async save(): Promise<void> {
    this.dirty = true;
    while (this.dirty) {
      if (this.writing) {
        await this.writing;
        continue;
      }
      this.dirty = false;
      this.writing = this.write(serializeLock(this.lock)).then(
        () => {
          this.writing = undefined;
        },
        (error: unknown) => {
          this.writing = undefined;
          throw error;
        },
      );
      await this.writing;
    }
  }
}
