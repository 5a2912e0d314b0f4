import { errorMessage, isPixlockError } from '../errors.js';
import { lockObjects, objectId } from '../engine/stored-objects.js';
import type { UnpushedObject } from '../engine/run-types.js';
import type { PushJournal } from '../journal/push-journal.js';
import type { Lockfile } from '../lock/lockfile.js';
import type { ProjectStores } from './project-stores.js';

/**
 * Pushes first what an earlier run left unpushed (the push journal's `unstored` objects that
 * the lock names: an image recorded when the store failed, or a run killed between recording
 * and pushing), and keeps in the journal only what still could not be pushed. Objects the
 * lock does not name (an image never recorded) are dropped. Never throws for the store:
 * what it could not take is returned, for the run's result.
 */
export async function pushPending(
  stores: ProjectStores,
  lock: Lockfile,
  journal: PushJournal,
): Promise<UnpushedObject[]> {
  const pending = await journal.pending();
  if (pending.size === 0) return [];
  const objects = lockObjects(lock, stores.outputs).filter((o) => pending.has(objectId(o)));
  let failed: UnpushedObject[];
  try {
    const report = await stores.push(objects);
    failed = report.failed.map((f) => ({
      object: stores.objects.locate(f.object),
      code: f.code as UnpushedObject['code'],
      message: f.message,
    }));
    await journal.keepOnly(report.failed.map((f) => objectId(f.object)));
  } catch (error) {
    // The existence check itself failed (the store unreachable or denied): all of it waits.
    const code = isPixlockError(error) ? error.code : 'UNKNOWN';
    failed = objects.map((o) => ({
      object: stores.objects.locate(o),
      code,
      message: errorMessage(error),
    }));
    await journal.keepOnly(objects.map(objectId));
  }
  return failed;
}

/**
 * At the end of a run: the journal keeps only the objects still unpushed that the lock names
 * (and goes when there are none), so the next run's {@link pushPending} pushes exactly those.
 */
export async function settlePushJournal(
  stores: ProjectStores,
  lock: Lockfile,
  journal: PushJournal,
): Promise<void> {
  const pending = await journal.pending();
  if (pending.size === 0) return journal.keepOnly([]);
  const named = new Set(lockObjects(lock, stores.outputs).map(objectId));
  await journal.keepOnly([...pending].filter((id) => named.has(id)));
}
