import { errorMessage, isPixlockError } from '../errors.js';
import type { LockEntry } from '../lock/lockfile.js';
import type { StoredFile } from './ports.js';
import type { RunContext } from './run-context.js';
import type { UnpushedObject } from './run-types.js';
import { objectId, storedObjectsOf } from './stored-objects.js';

/**
 * The objects recording `entry` adds to what the store must hold (those `previous` did not
 * name already; of those, the ones `only` keeps), noted `unstored` in the push journal: called before the image is recorded,
 * so a run killed before {@link pushRecorded} leaves them for the next run to push first.
 * None without a store.
 */
export function noteUnstored(
  ctx: RunContext,
  entry: LockEntry,
  previous: LockEntry | undefined,
  only: (object: StoredFile) => boolean = () => true,
): StoredFile[] {
  if (!ctx.objects) return [];
  const outputs = ctx.objects.outputs;
  const before = new Set(previous ? storedObjectsOf(previous, outputs).map(objectId) : []);
  const objects = storedObjectsOf(entry, outputs).filter(
    (o) => !before.has(objectId(o)) && only(o),
  );
  ctx.pushNotes.unstored(objects.map(objectId));
  return objects;
}

/**
 * Pushes an image's new objects once it is recorded (idempotent uploads under their sha256,
 * conditional so no other writer's object is replaced) and notes them `stored`. Never throws:
 * what could not be pushed is returned, stays `unstored` in the journal and in the local
 * cache, and the run ends naming it. Once the store is down (unreachable after its retries,
 * or denied) nothing more is tried on it this run. Not cut short by an abort: the original is
 * paid for, and an upload is short.
 */
export async function pushRecorded(
  ctx: RunContext,
  id: string,
  objects: readonly StoredFile[],
): Promise<UnpushedObject[] | undefined> {
  const store = ctx.objects;
  if (!store || objects.length === 0) return undefined;
  const failed: UnpushedObject[] = [];
  const stored: string[] = [];
  await Promise.all(
    objects.map(async (object) => {
      const down = ctx.storeDown;
      if (down) {
        failed.push({ object: store.locate(object), id, code: down.code, message: down.message });
        return;
      }
      try {
        await store.put(object, { fresh: true });
        stored.push(objectId(object));
      } catch (error) {
        if (isPixlockError(error, 'STORE_UNREACHABLE', 'STORE_DENIED') && !ctx.storeDown) {
          ctx.storeDown = error;
          ctx.logger.warn(
            `${store.name} failed (${error.code}): what this run makes is kept locally and pushed by the next run (or pixlock store push)`,
          );
        }
        const code = isPixlockError(error) ? error.code : 'UNKNOWN';
        failed.push({ object: store.locate(object), id, code, message: errorMessage(error) });
      }
    }),
  );
  ctx.pushNotes.stored(stored);
  return failed.length > 0 ? failed : undefined;
}
