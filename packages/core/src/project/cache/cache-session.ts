import { existsSync } from 'node:fs';
import path from 'node:path';
import { readCacheText } from '../../disk/read-regular-file.js';
import { writeCacheFile } from './write-cache-file.js';

/** Options of {@link CacheSession.stage}. */
export interface StageOptions {
  /**
   * May make `.pixlock/cache/` in a project pixlock keeps no files for yet (the lock's and the
   * hashes' caches); by default a cache is written only where `.pixlock/` is already.
   */
  create?: boolean;
}

/**
 * The caches of one command (see cache-files.ts): reads them, and holds what the command would
 * write until it has succeeded. What a command staged is what it reads back (a second read
 * under the run mutex finds the first's work), and {@link commit} writes it all at its end; a
 * command that throws never gets there, so it writes nothing.
 */
export class CacheSession {
  private readonly staged = new Map<string, { text: string; create: boolean }>();

  /** `cacheDir`: the project's `.pixlock/cache`. */
  constructor(readonly cacheDir: string) {}

  /** A cache file's text: what this command staged for it, else what is on disk. */
  async read(name: string): Promise<string | undefined> {
    const staged = this.staged.get(name);
    if (staged) return staged.text;
    return readCacheText(path.join(this.cacheDir, name));
  }

  /** Holds `text` for the file `name`, to be written by {@link commit}. */
  stage(name: string, text: string, options: StageOptions = {}): void {
    this.staged.set(name, { text, create: options.create ?? false });
  }

  /** Names of the files staged and not yet written. */
  pending(): string[] {
    return [...this.staged.keys()];
  }

  /**
   * Writes what was staged, once the command succeeded. Only a speed-up: a folder that cannot
   * hold a file (read-only, or a link committed where it was, which the write refuses) costs a
   * miss next time, never an error.
   */
  async commit(): Promise<void> {
    const kept = existsSync(path.dirname(this.cacheDir));
    for (const [name, { text, create }] of this.staged) {
      if (!create && !kept) continue;
      await writeCacheFile(this.cacheDir, name, text).catch(() => undefined);
    }
    this.staged.clear();
  }
}
