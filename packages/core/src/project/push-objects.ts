import pLimit from 'p-limit';
import { errorMessage, isPixlockError, type PixlockError } from '../errors.js';
import type { ObjectStore, StoredFile } from '../engine/ports.js';
import { objectId } from '../engine/stored-objects.js';

/** Uploads started at once: the remote store's own transfer limit (8) and a few more. */
const PUSH_SLOTS = 12;

/** Options of {@link pushObjects}. */
export interface PushOptions {
  signal?: AbortSignal;
  /** Once the store has said what it lacks: how many objects will be uploaded. */
  onStart?: (toPush: number) => void;
  /** After each upload (or failure) of an object the store lacked. */
  onObject?: (object: StoredFile, error?: PushFailure) => void;
}

/** An object that could not be pushed, and why (a message naming it, never a secret). */
export interface PushFailure {
  object: StoredFile;
  code: string;
  message: string;
}

/** What {@link pushObjects} did. */
export interface PushReport {
  /** Objects asked about. */
  total: number;
  /** Already in the store. */
  present: number;
  /** Uploaded now. */
  pushed: number;
  /** Not pushed: the store failed, or the file is not on this machine. */
  failed: PushFailure[];
}

/**
 * Uploads those of `objects` that `store` lacks: one existence check for all of them (a few
 * listings), then the uploads, at the store's own concurrency. Idempotent and resumable: what
 * an earlier, interrupted push uploaded is found present and skipped. Once the store itself
 * fails (unreachable after its retries, or denied) the objects left are not tried against it
 * one by one, each waiting out its own retries: they are reported failed with that error.
 * @throws what the existence check throws (the store unreachable or denied).
 */
export async function pushObjects(
  store: ObjectStore,
  objects: readonly StoredFile[],
  options: PushOptions = {},
): Promise<PushReport> {
  const held = await store.has(objects, options.signal ? { signal: options.signal } : {});
  const missing = objects.filter((o) => !held.has(objectId(o)));
  options.onStart?.(missing.length);
  const failed: PushFailure[] = [];
  let down: PixlockError | undefined;
  let pushed = 0;
  // Taken up one at a time as a slot frees (the store bounds its transfers too), so a store
  // that went down is seen before the next object is tried.
  const limit = pLimit(PUSH_SLOTS);
  await Promise.all(
    missing.map((object) =>
      limit(async () => {
        let failure: PushFailure | undefined;
        if (down) failure = { object, code: down.code, message: down.message };
        else {
          try {
            options.signal?.throwIfAborted();
            await store.put(object, {
              fresh: true,
              ...(options.signal && { signal: options.signal }),
            });
            pushed++;
          } catch (error) {
            if (isPixlockError(error, 'STORE_UNREACHABLE', 'STORE_DENIED')) down ??= error;
            const code = isPixlockError(error) ? error.code : 'UNKNOWN';
            failure = { object, code, message: errorMessage(error) };
          }
        }
        if (failure) failed.push(failure);
        options.onObject?.(object, failure);
      }),
    ),
  );
  return { total: objects.length, present: objects.length - missing.length, pushed, failed };
}
