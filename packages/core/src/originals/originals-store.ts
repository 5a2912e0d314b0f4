/**
 * An original as the lock records it: the sha256 of its bytes, which names it, and its media
 * type, which gives the extension it is kept under.
 */
export interface OriginalKey {
  /** Lowercase hex sha256 of the original's bytes. */
  sha256: string;
  /** e.g. `image/png`. */
  mediaType: string;
}

/**
 * What {@link OriginalsStore.get} found: the bytes, checked against the sha256 that names
 * them, or why there are none. A typed answer rather than an error: a missing original is a
 * state of the project (restore it, or draw the image again), not a fault of the store.
 */
export type OriginalRead =
  | { status: 'found'; bytes: Buffer }
  /** The store has no original under this sha256. */
  | { status: 'missing' }
  /** The store has one, but its bytes are not the ones the sha256 names. */
  | { status: 'damaged' };

/**
 * Where {@link OriginalsStore.put} takes an original from: a temporary file already verified
 * (pixlock's own, on the same file system as a local store, which may move it into place
 * rather than copy it; whatever is left at that path is the caller's to remove), with its
 * bytes when they are in memory anyway; or the bytes alone.
 */
export type OriginalSource = { file: string; bytes?: Buffer } | { bytes: Buffer };

/** Options of the store's calls. */
export interface OriginalsCallOptions {
  signal?: AbortSignal;
}

/**
 * Where originals are kept: content-addressed by their sha256. The local folder
 * `.pixlock/originals` is the first implementation (local-originals.ts); a store that keeps
 * them remote, with a local cache in front, implements the same port. Every question "is this
 * original here", every read and every write of an original goes through it, and messages name
 * it rather than a path of the local disk.
 */
export interface OriginalsStore {
  /** The store as messages name it: `.pixlock/originals`, `s3://bucket/prefix`. */
  readonly name: string;
  /** Where one original is kept, as messages name it: `.pixlock/originals/<sha256>.png`. */
  locate(key: OriginalKey): string;
  /**
   * What brings a missing or damaged original back without spending credits, as a user is
   * told it (the local folder: restore it from git).
   */
  recovery(key: OriginalKey): string;
  /**
   * Which of `keys` the store holds, as their sha256s: one call for many, which a remote store
   * answers with a few listing requests. Says nothing of the bytes: `get` checks those.
   */
  has(keys: Iterable<OriginalKey>, options?: OriginalsCallOptions): Promise<ReadonlySet<string>>;
  /** The original's bytes, verified against its sha256; a typed miss otherwise. */
  get(key: OriginalKey, options?: OriginalsCallOptions): Promise<OriginalRead>;
  /**
   * Keeps an original the caller has verified. Idempotent: an original the store holds already
   * is kept as it is.
   */
  put(key: OriginalKey, from: OriginalSource, options?: OriginalsCallOptions): Promise<void>;
}

/** One file of a local originals folder, as `prune` sees it. */
export interface LocalOriginal {
  /** The sha256 its name says. */
  sha256: string;
  /** Its path relative to the project folder, e.g. `.pixlock/originals/<sha256>.png`. */
  file: string;
}

/**
 * The local copies of originals, which `prune` may tidy. Kept apart from the shared port on
 * purpose: a store other branches and machines use (a remote one) is never listed for
 * deletion, and `prune` never reaches it.
 */
export interface LocalOriginalsCache {
  /** Every original file kept locally (names that are not an original's are left out). */
  list(): Promise<LocalOriginal[]>;
  /** Removes one local copy (nothing when it is gone already). */
  remove(original: LocalOriginal): Promise<void>;
}
