import { extensionForMediaType } from '../../media-types.js';
import { sha256 as sha256Of } from '../../util/sha256.js';
import type { OriginalKey, OriginalsStore } from '../ports.js';

/** An {@link OriginalsStore} in memory, with what it holds and what it was asked. */
export interface MemoryOriginals extends OriginalsStore {
  /** sha256 → bytes, as kept (a test may damage or remove one). */
  readonly contents: Map<string, Buffer>;
  /** How many times `has` was called, and with how many keys in all. */
  readonly asked: { calls: number; keys: number };
}

/**
 * An empty in-memory originals store, named `memory` in messages. A `put` from a file without
 * its bytes reads it from `temps` (an in-memory temporary store's files).
 */
export function memoryOriginals(
  temps: Map<string, Buffer> = new Map(),
  contents: Map<string, Buffer> = new Map(),
): MemoryOriginals {
  const asked = { calls: 0, keys: 0 };
  const missing = (p: string) =>
    Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' }) as NodeJS.ErrnoException;
  const name = (key: OriginalKey) => `memory/${key.sha256}.${extensionForMediaType(key.mediaType)}`;
  return {
    name: 'memory',
    contents,
    asked,
    locate: name,
    recovery: (key) => `put ${name(key)} back`,
    async has(keys) {
      asked.calls++;
      const present = new Set<string>();
      for (const key of keys) {
        asked.keys++;
        if (contents.has(key.sha256)) present.add(key.sha256);
      }
      return present;
    },
    async get(key) {
      const bytes = contents.get(key.sha256);
      if (!bytes) return { status: 'missing' };
      return sha256Of(bytes) === key.sha256 ? { status: 'found', bytes } : { status: 'damaged' };
    },
    async put(key, from) {
      // A file is read only when its bytes did not come with it (from the in-memory temporary
      // files); it stays where it is, for the caller to remove.
      const bytes = from.bytes ?? ('file' in from ? temps.get(from.file) : undefined);
      if (!bytes) throw missing('file' in from ? from.file : key.sha256);
      if (!contents.has(key.sha256)) contents.set(key.sha256, bytes);
    },
  };
}
