import { extensionForMediaType } from '../../assets/media-types.js';
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
 * An empty in-memory originals store, named `memory` in messages. A `put` from a file takes
 * the file from `temps` (an in-memory temporary store's files), as a local store moves it.
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
      let bytes = 'bytes' in from ? from.bytes : undefined;
      if ('file' in from) {
        const data = temps.get(from.file);
        if (!data) throw missing(from.file);
        temps.delete(from.file);
        bytes ??= data;
      }
      if (!contents.has(key.sha256)) contents.set(key.sha256, bytes!);
    },
  };
}
