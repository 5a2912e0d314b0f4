import { sha256 as sha256Of } from '../../util/sha256.js';
import type { LockFile, OutputFiles, ProjectFiles, TempFiles } from '../ports.js';
import { memoryOriginals, type MemoryOriginals } from './memory-originals.js';

/**
 * The project's files in memory, with nothing on disk: every in-memory port in one object (a
 * test may replace one of its methods to inject a fault), what each holds, and `files`, the
 * ports as a run takes them (bound late, so a replaced method is the one called).
 */
export interface MemoryStore extends TempFiles, OutputFiles, LockFile {
  /** The ports, for `runPlan` or `generate`. */
  readonly files: ProjectFiles;
  temps: Map<string, Buffer>;
  /** sha256 → bytes of every original kept (what `originalsStore` holds). */
  originals: Map<string, Buffer>;
  /** The in-memory originals store itself. */
  originalsStore: MemoryOriginals;
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
  const originalsStore = memoryOriginals(temps, originals);
  const missing = (p: string) =>
    Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' }) as NodeJS.ErrnoException;
  const store: MemoryStore = {
    get files(): ProjectFiles {
      return {
        temps: {
          tempPath: (suffix) => store.tempPath(suffix),
          writeTemp: (p, data) => store.writeTemp(p, data),
          readTemp: (p) => store.readTemp(p),
          removeTemp: (p) => store.removeTemp(p),
        },
        outputs: {
          writeOutput: (p, data) => store.writeOutput(p, data),
          readOutput: (p, sha256) => store.readOutput(p, sha256),
          removeOutput: (p, sha256) => store.removeOutput(p, sha256),
        },
        originals: store.originalsStore,
        lock: { writeLock: (text) => store.writeLock(text) },
      };
    },
    temps,
    originals,
    originalsStore,
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
  return store;
}
