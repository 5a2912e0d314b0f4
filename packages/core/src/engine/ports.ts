import type { Fit, OutputFormat, Position } from '../manifest/schema.js';
import type { OriginalRead, OriginalsStore } from '../originals/originals-store.js';
import type { PushNotes } from '../journal/push-notes.js';

export type { PushNotes } from '../journal/push-notes.js';

export type {
  OriginalKey,
  OriginalRead,
  OriginalSource,
  OriginalsStore,
} from '../originals/originals-store.js';

// The clock is shared with the providers (their request deadlines), so it lives below both.
export { systemClock, type Clock } from '../util/clock.js';

/** Where the engine reports what it does; adapters print it. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug?(message: string): void;
}

/**
 * Temporary files a run downloads into, on the same file system as a local originals store:
 * a verified download is moved into place there, never copied.
 */
export interface TempFiles {
  /** A fresh temporary path. */
  tempPath(suffix: string): string;
  /** Writes a result that came as bytes to a temporary file, as a download would have. */
  writeTemp(path: string, data: Buffer): Promise<void>;
  /** Reads a temporary file (a download) back. */
  readTemp(path: string): Promise<Buffer>;
  /** Removes a temporary file if it exists. */
  removeTemp(path: string): Promise<void>;
}

/**
 * The project's output files, relative to the manifest's folder: what lands where (and
 * atomically) is decided in one place.
 */
export interface OutputFiles {
  /** Writes an output file atomically (never a half-written file at the final path). */
  writeOutput(relPath: string, data: Buffer): Promise<void>;
  /**
   * Reads the file at `relPath` (an output an earlier run wrote, perhaps in an earlier
   * `outDir`) when it is a regular file holding exactly the bytes `sha256` names; undefined
   * otherwise (missing, edited, a link, or somewhere pixlock never touches).
   */
  readOutput(relPath: string, sha256: string): Promise<Buffer | undefined>;
  /**
   * Removes an output file. Without `sha256`, a file in `outDir` (if it exists). With it, a
   * file anywhere pixlock may have written outputs, only when it holds exactly those bytes:
   * resolves to false, and leaves it, otherwise.
   */
  removeOutput(relPath: string, sha256?: string): Promise<boolean>;
  /**
   * Removes the folders the removed files left empty, from each file's folder up to `stop`
   * (kept). Optional: a store without folders has nothing to tidy.
   */
  removeEmptyFolders?(removedFiles: string[], stop?: string): Promise<string[]>;
}

/** An object of the object store, named by its content. */
export interface StoredObject {
  /** Originals as the provider sent them, outputs as pixlock encoded them. */
  kind: 'originals' | 'outputs';
  /** Lowercase hex sha256 of its bytes, as the lock records it. */
  sha256: string;
  /** e.g. `image/avif`: the extension it is kept under. */
  mediaType: string;
}

/** An object with the project file it is pushed from (relative to the manifest's folder). */
export interface StoredFile extends StoredObject {
  file: string;
}

/**
 * The object store behind the project's files (the manifest's `store:`): originals, and with
 * {@link outputs} the outputs, kept under their sha256 where other clones and CI runners find
 * them. The engine pushes what a run records and restores missing outputs from it; the
 * originals reach it through the {@link OriginalsStore} port, which reads through it.
 */
export interface ObjectStore {
  /** `s3://bucket/prefix`, as messages name it. */
  readonly name: string;
  /** Outputs are kept there too (`store.outputs`): pushed to it, restored from it. */
  readonly outputs: boolean;
  /** Where one object is kept, as messages name it: `s3://bucket/prefix/originals/<sha256>.png`. */
  locate(object: StoredObject): string;
  /** Which of `objects` it holds, as `<kind>/<sha256>`: one call for many (a few listings). */
  has(
    objects: readonly StoredObject[],
    options?: { signal?: AbortSignal },
  ): Promise<ReadonlySet<string>>;
  /** The object's bytes, verified against its sha256; a typed miss otherwise. */
  get(object: StoredObject, options?: { signal?: AbortSignal }): Promise<OriginalRead>;
  /**
   * Uploads the project's file `object.file` under the object's sha256 unless the store holds
   * it (idempotent; the file is hashed first and refused, STORE_CORRUPT, when it is not those
   * bytes). `fresh`: made by this run, so surely absent (no existence check first). An object
   * {@link get} found damaged is written over with the file's verified bytes.
   */
  put(object: StoredFile, options?: { fresh?: boolean; signal?: AbortSignal }): Promise<void>;
}

/** The lockfile. */
export interface LockFile {
  /** Writes the lockfile atomically. */
  writeLock(text: string): Promise<void>;
}

/**
 * The files a run reads and writes, one port for each kind: the engine does all its file
 * work through these, and a caller may replace any one (an originals store kept elsewhere,
 * say) and keep the others.
 */
export interface ProjectFiles {
  temps: TempFiles;
  outputs: OutputFiles;
  originals: OriginalsStore;
  lock: LockFile;
  /** The object store behind them, when the manifest names one (`store:`). */
  objects?: ObjectStore;
  /** Where what is not yet pushed to {@link objects} is noted (default: nowhere). */
  pushNotes?: PushNotes;
}

/** An original decoded to raw pixels once, so each output resizes from memory. */
export interface DecodedImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  /** The media type the bytes really are, whatever the server said. */
  mediaType: string;
}

/** What one output file is made as. */
export interface EncodeSpec {
  width?: number;
  height?: number;
  fit: Fit;
  format: OutputFormat;
  quality?: number;
  /** What a cover crop keeps (default center). */
  position?: Position;
  /** Hex colour of a contain fit's bars (default black). */
  background?: string;
  /** AVIF and WebP: CPU effort. */
  effort?: number;
  /** AVIF and WebP: lossless. */
  lossless?: boolean;
  /** JPEG: progressive. */
  progressive?: boolean;
}

/**
 * Image decoding and encoding, handed to the engine by the adapter side (built from sharp by
 * `sharpCodec()`), so the engine never loads a native library itself and tests can pass a
 * fake.
 */
export interface ImageCodec {
  /**
   * Decodes image bytes completely (a full decode is what catches a truncated download).
   * Rejects for anything that is not a whole image of a supported format.
   */
  decode(bytes: Buffer): Promise<DecodedImage>;
  /** Encodes one output from decoded pixels. */
  encode(
    image: DecodedImage,
    spec: EncodeSpec,
  ): Promise<{ data: Buffer; width: number; height: number }>;
}

/** A logger that says nothing. */
export const silentLogger: Logger = { info() {}, warn() {} };
