/** Time, injected so tests control it. */
export interface Clock {
  now(): Date;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Where the engine reports what it does; adapters print it. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug?(message: string): void;
}

/**
 * The files a run reads and writes, relative to the manifest's folder. The engine does all
 * its file work through this, so what lands where (and atomically) is decided in one place.
 */
export interface ProjectStore {
  /** A fresh temporary path on the same file system as the originals. */
  tempPath(suffix: string): string;
  /** Removes a temporary file if it exists. */
  removeTemp(path: string): Promise<void>;
  /** Moves a verified temporary file into the originals under its hash. */
  adoptOriginal(tempPath: string, sha256: string, mediaType: string): Promise<void>;
  /** Reads an original's bytes. */
  readOriginal(sha256: string, mediaType: string): Promise<Buffer>;
  /** Writes an output file atomically (never a half-written file at the final path). */
  writeOutput(relPath: string, data: Buffer): Promise<void>;
  /** Removes an output file if it exists. */
  removeOutput(relPath: string): Promise<void>;
  /** Writes the lockfile atomically. */
  writeLock(text: string): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** A logger that says nothing. */
export const silentLogger: Logger = { info() {}, warn() {} };
