import { originalRelPath } from '../disk/project-paths.js';
import type { LockEntry, Lockfile } from '../lock/lockfile.js';
import { mediaTypeForExtension } from '../media-types.js';
import type { StoredFile } from './ports.js';

/**
 * What the object store must hold for one lock entry: its original and every candidate's,
 * and with `outputs` every output file, each once, with the project file it is pushed from
 * (originals from the local cache `.pixlock/originals/`).
 */
export function storedObjectsOf(entry: LockEntry, outputs: boolean): StoredFile[] {
  const objects = new Map<string, StoredFile>();
  for (const o of [entry.original, ...(entry.candidates ?? []).map((c) => c.original)]) {
    const file = originalRelPath(o.sha256, o.mediaType);
    objects.set(`originals/${o.sha256}`, {
      kind: 'originals',
      sha256: o.sha256,
      mediaType: o.mediaType,
      file,
    });
  }
  if (outputs) {
    for (const f of entry.output.files) {
      const mediaType = mediaTypeForExtension(f.path);
      // The lock's schema allows only the formats pixlock writes, each with a known type.
      if (mediaType === undefined) continue;
      objects.set(`outputs/${f.sha256}`, {
        kind: 'outputs',
        sha256: f.sha256,
        mediaType,
        file: f.path,
      });
    }
  }
  return [...objects.values()];
}

/** {@link storedObjectsOf} every entry of a lock (those of `ids` only, when given), each object once. */
export function lockObjects(
  lock: Lockfile,
  outputs: boolean,
  ids: Iterable<string> = Object.keys(lock.images),
): StoredFile[] {
  const objects = new Map<string, StoredFile>();
  for (const id of ids) {
    const entry = lock.images[id];
    if (!entry) continue;
    for (const o of storedObjectsOf(entry, outputs)) {
      const key = objectId(o);
      if (!objects.has(key)) objects.set(key, o);
    }
  }
  return [...objects.values()];
}

/** How an object is named in {@link ObjectStore.has}'s answer: `<kind>/<sha256>`. */
export function objectId(object: { kind: string; sha256: string }): string {
  return `${object.kind}/${object.sha256}`;
}
