import { PixlockError } from '../errors.js';
import type { Lockfile } from '../lock/lockfile.js';
import { parseResumeToken } from '../lock/resume-token.js';
import { imageIdOf } from '../lock/task-key.js';

/**
 * Gives the creates named by `pixlock generate --resume <key>=<taskId>` their task ids, in
 * `lock.pending` (read with the journal folded in): a run whose disk took a paid task's create
 * note but not its id printed that line, and this run then polls that task instead of holding
 * the image or paying for it again. Returns how many entries it changed. A token naming an
 * image not in the manifest, a create that no lock or journal recorded (nothing says what the
 * task was drawn with), or a task other than the one recorded is a USAGE error; one already
 * recorded (the line run twice) changes nothing.
 */
export function applyResume(
  lock: Lockfile,
  imageIds: ReadonlySet<string>,
  values: readonly string[] = [],
): number {
  let changed = 0;
  for (const value of values) {
    const token = parseResumeToken(value);
    if (typeof token === 'string') throw new PixlockError('USAGE', token);
    const { key, taskId } = token;
    const id = imageIdOf(key);
    if (!imageIds.has(id))
      throw new PixlockError('USAGE', `--resume ${value}: no image "${id}" in the manifest`);
    const image = lock.images[id];
    const done = image?.taskId === taskId || image?.candidates?.some((c) => c.taskId === taskId);
    const pending = lock.pending[key];
    if (done || pending?.taskId === taskId) continue;
    if (pending?.taskId !== undefined) {
      throw new PixlockError(
        'USAGE',
        `--resume ${value}: ${key} has task ${pending.taskId} recorded, not ${taskId}; that one is resumed without --resume`,
      );
    }
    if (!pending) {
      throw new PixlockError(
        'USAGE',
        `--resume ${value}: no create of ${key} is recorded in pixlock.lock or .pixlock/journal.jsonl, so what the task was drawn with is unknown; was .pixlock/ deleted since?`,
      );
    }
    lock.pending[key] = { ...pending, taskId };
    changed++;
  }
  return changed;
}
