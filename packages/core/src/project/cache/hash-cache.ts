import type { Stats } from 'node:fs';
import { RACY_MS } from '../../util/racy.js';
import { CACHE_FILES } from './cache-files.js';
import type { CacheSession } from './cache-session.js';

/** A file as `lstat` saw it: size, mtimeMs, inode, ctimeMs. */
export type FileStamp = [number, number, number, number];

/** What an observation of the outputs was made of, for the up-to-date record. */
export interface DiskStamps {
  /** Each locked output: its stamp when it was hashed or its hash trusted, null when missing. */
  outputs: Map<string, FileStamp | null>;
}

/** size, mtimeMs, inode, ctimeMs, sha256: a hash is trusted while the first four hold. */
type Entry = [number, number, number, number, string];

interface HashFile {
  version: 2;
  entries: Record<string, Entry>;
}

/**
 * The sha256 of output and reference files by (size, mtime, inode, ctime), the way git trusts
 * its index: a file whose stat is the one it was hashed at is not read again.
 */
export class HashCache {
  /** Hashes read afresh by this command. */
  private readonly fresh = new Map<string, Entry>();

  private constructor(
    private readonly cache: CacheSession,
    private readonly entries: Record<string, Entry>,
  ) {}

  /** The hashes this command's cache holds (none for a missing or broken file). */
  static async open(cache: CacheSession): Promise<HashCache> {
    try {
      // Entries are checked where they are used (numbers compared with ===, a string hash).
      const data = JSON.parse((await cache.read(CACHE_FILES.hashes)) ?? '') as HashFile;
      if (data.version === 2 && typeof data.entries === 'object' && data.entries !== null)
        return new HashCache(cache, data.entries);
    } catch {
      // No cache, or a broken one: hash everything again.
    }
    return new HashCache(cache, {});
  }

  /** The hash kept for the file `key` when `s` is still the stat it was hashed at. */
  hit(key: string, s: Stats): string | undefined {
    const e = this.entries[key];
    return Array.isArray(e) &&
      e[0] === s.size &&
      e[1] === s.mtimeMs &&
      e[2] === s.ino &&
      e[3] === s.ctimeMs &&
      typeof e[4] === 'string'
      ? e[4]
      : undefined;
  }

  /** A hash read afresh, of the file whose stat was `s` before it was read. */
  note(key: string, s: Stats, hash: string): void {
    this.fresh.set(key, [s.size, s.mtimeMs, s.ino, s.ctimeMs, hash]);
  }

  /**
   * Stages the cache of the files `seen` (maps of key → hash, null when missing), when any was hashed
   * afresh. (Entries of files that went away stay until then: harmless, as a hit needs the
   * file's own stat.) A file modified within a clock tick of being hashed could change again
   * with the same size and times ("racily clean", in git's words): not kept, so hashed again
   * next time.
   */
  stage(...seen: Iterable<[string, string | null]>[]): void {
    if (this.fresh.size === 0) return;
    const now = Date.now();
    const entries: Record<string, Entry> = {};
    for (const files of seen)
      for (const [key, hash] of files) {
        const e = this.fresh.get(key) ?? this.entries[key];
        if (hash !== null && e !== undefined && now - e[1] >= RACY_MS) entries[key] = e;
      }
    const file: HashFile = { version: 2, entries };
    this.cache.stage(CACHE_FILES.hashes, JSON.stringify(file), { create: true });
  }
}
