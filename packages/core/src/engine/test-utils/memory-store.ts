import { sha256 as sha256Of } from '../../util/sha256.js';
import type { ProjectStore } from '../ports.js';

/** A {@link ProjectStore} in memory: what the engine wrote, where, with nothing on disk. */
export interface MemoryStore extends ProjectStore {
  temps: Map<string, Buffer>;
  originals: Map<string, Buffer>;
  outputs: Map<string, Buffer>;
  /** Every lock text written, in order. */
  locks: string[];
}

/** An empty in-memory store. */
export function memoryStore(): MemoryStore {
  let n = 0;
  const temps = new Map<string, Buffer>();
  const originals = new Map<string, Buffer>();
  const outputs = new Map<string, Buffer>();
  const locks: string[] = [];
  const missing = (p: string) =>
    Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' }) as NodeJS.ErrnoException;
  return {
    temps,
    originals,
    outputs,
    locks,
    tempPath: (suffix) => `tmp/${n++}${suffix}`,
    async writeTemp(p, data) {
      temps.set(p, data);
    },
    async readTemp(p) {
      const data = temps.get(p);
      if (!data) throw missing(p);
      return data;
    },
    async removeTemp(p) {
      temps.delete(p);
    },
    async adoptOriginal(p, sha256) {
      const data = temps.get(p);
      if (!data) throw missing(p);
      temps.delete(p);
      originals.set(sha256, data);
    },
    async readOriginal(sha256) {
      const data = originals.get(sha256);
      if (!data) throw missing(sha256);
      return data;
    },
    async writeOutput(relPath, data) {
      outputs.set(relPath, data);
    },
    async readOutput(relPath, sha256) {
      const data = outputs.get(relPath);
      return data && sha256Of(data) === sha256 ? data : undefined;
    },
    async removeOutput(relPath, sha256) {
      const data = outputs.get(relPath);
      if (sha256 !== undefined && (!data || sha256Of(data) !== sha256)) return false;
      outputs.delete(relPath);
      return true;
    },
    async writeLock(text) {
      locks.push(text);
    },
  };
}
