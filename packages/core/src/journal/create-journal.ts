import { appendFileSync, mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { LOCK_MAX_BYTES, readRegularFile } from '../disk/read-regular-file.js';
import path from 'node:path';
import type { Lockfile, PendingTask } from '../lock/lockfile.js';
import { imageIdOf } from '../lock/task-key.js';
import type { PixlockError } from '../errors.js';
import { SafeFolders } from '../disk/safe-folders.js';

/**
 * Paid creates on their way, in `.pixlock/creating.jsonl`: a line just before a create is
 * sent, another once its outcome is in the lock. A run killed in between (kill -9, OOM, a CI
 * timeout) leaves a line with no second one, and the next run knows that image may be paid for.
 *
 * Each line is one synchronous append: a single small write, not queued on the libuv pool
 * behind image processing the way an awaited lock write is (that cost 12 ms median, 87 ms p90
 * per create under load). It survives the process being killed, not a power cut (no fsync).
 */
export interface CreateJournal {
  /**
   * Before sending: this task's create is about to leave (keyed as in task-key.ts). Throws
   * when the note could not be written, and the create must then not be sent.
   */
  sent(key: string, record: PendingTask): void;
  /** Its outcome (task id, refusal, or unconfirmed) is recorded: forget the line. */
  settled(key: string): void;
  /**
   * Set once the disk under the journal was found full or failing (DISK_FULL, DISK_ERROR),
   * even when the line got through on the reserve: no new task may be created.
   */
  readonly fault?: PixlockError | undefined;
}

type Line = { sent: string; record: PendingTask } | { settled: string };

/** The journal of a project folder. */
export function createJournal(file: string): CreateJournal {
  let ready = false;
  const append = (line: Line) => {
    if (!ready) {
      mkdirSync(path.dirname(file), { recursive: true });
      ready = true;
    }
    appendFileSync(file, JSON.stringify(line) + '\n');
  };
  return {
    sent: (id, record) => append({ sent: id, record }),
    settled: (id) => append({ settled: id }),
  };
}

/**
 * Creates a killed run left unsettled, by image id. A torn last line (killed mid-write) is
 * ignored: its create had not been sent yet, since the line is written first.
 */
export async function readJournal(file: string): Promise<Map<string, PendingTask>> {
  const open = new Map<string, PendingTask>();
  const text = await readRegularFile(file, { maxBytes: LOCK_MAX_BYTES }).then(
    (bytes) => bytes.toString('utf8'),
    () => '',
  );
  for (const raw of text.split('\n')) {
    let line: Line;
    try {
      line = JSON.parse(raw) as Line;
    } catch {
      continue;
    }
    if ('sent' in line) open.set(line.sent, line.record);
    else open.delete(line.settled);
  }
  return open;
}

/**
 * Folds unsettled creates into the lock's `pending` as unconfirmed (no task id), unless the
 * lock shows the create's outcome after all (the process died between recording it and
 * settling the line). Returns how many were added.
 */
export function foldJournal(lock: Lockfile, open: Map<string, PendingTask>): number {
  let added = 0;
  // Keyed by task: the image id, or `<id>#<n>` for a later candidate (task-key.ts).
  for (const [key, record] of open) {
    const pending = lock.pending[key];
    if (pending && pending.createdAt >= record.createdAt) continue;
    const image = lock.images[imageIdOf(key)];
    if (image && image.generatedAt >= record.createdAt) continue;
    const { taskId: _none, ...unconfirmed } = record;
    lock.pending[key] = unconfirmed;
    added++;
  }
  return added;
}

/**
 * Removes a journal file of the project in `dir` once what it held is in the lock on disk,
 * never through a link on its way (a `.pixlock` committed as a link to a folder elsewhere).
 */
export async function clearJournal(dir: string, file: string): Promise<void> {
  const rel = path.relative(dir, file).split(path.sep).join('/');
  const checked = new SafeFolders(dir).resolve(rel, false);
  if (checked) await rm(checked, { force: true });
}
