import pLimit from 'p-limit';
import { systemClock, silentLogger, type Clock, type Logger } from '../engine/ports.js';
import { checkWritable } from './check-writable.js';
import { getToFile } from './get-to-file.js';
import { hasMany } from './has-many.js';
import { putFile, type PutFileOptions } from './put-file.js';
import { connectS3, type RequestCounts } from './s3-calls.js';
import { listUnder, readSmall, writeSmall } from './small-objects.js';
import type { StoreContext } from './store-context.js';
import { storeKeyPath, type StoreKey } from './store-key.js';
import type { StoreSettings } from './store-settings.js';
import { DEFAULT_STORE_RETRY, type StoreRetryPolicy } from './with-retries.js';

/**
 * A content-addressed object store over the S3 API: originals and outputs kept under their
 * sha256 at `s3://<bucket>/<prefix>/<kind>/<sha256>.<ext>`. Every method may be called many
 * times at once; transfers run at most `concurrency` at a time. Errors are PixlockErrors with
 * STORE_* codes whose messages name the store and the object, never a credential.
 */
export interface RemoteStore {
  /** `s3://bucket/prefix`, for messages. */
  readonly url: string;
  /**
   * Which of `keys` the store holds, as their {@link storeKeyPath}s. Few keys are asked by
   * HEAD, many by listing (about one request per 1,000 objects; see has-many.ts).
   */
  hasMany(keys: readonly StoreKey[], options?: { signal?: AbortSignal }): Promise<Set<string>>;
  /**
   * Streams the object to `destPath`, verified against its sha256 on the way; refused with
   * STORE_CORRUPT (nothing at `destPath`) when it does not match, STORE_MISSING when absent.
   */
  getToFile(
    key: StoreKey,
    destPath: string,
    options?: { signal?: AbortSignal },
  ): Promise<{ bytes: number }>;
  /** Uploads a file under its sha256 unless the store has it; idempotent. */
  putFile(key: StoreKey, srcPath: string, options?: PutFileOptions): Promise<{ uploaded: boolean }>;
  /** Reachable and writable, checked before the first paid request (see check-writable.ts). */
  checkWritable(options?: { signal?: AbortSignal }): Promise<void>;
  /**
   * Named records beside the content-addressed objects (what CI shards leave: their locks,
   * their claims), at paths below the prefix; see small-objects.ts.
   */
  records: {
    read(path: string): Promise<string | undefined>;
    /** `ifAbsent`: a conditional put (`exists` when one was there, on a store that honours it). */
    write(
      path: string,
      text: string,
      options?: { ifAbsent?: boolean },
    ): Promise<'created' | 'exists'>;
    /** Every record path below `folder` (ending in `/`). */
    list(folder: string): Promise<string[]>;
  };
  /** Requests sent so far, by kind. */
  requestCounts(): RequestCounts;
  /** Closes the client's sockets; the store is unusable afterwards. */
  close(): void;
}

/** Options of {@link openRemoteStore}; every one has a default fit for a CI runner. */
export interface RemoteStoreOptions {
  /** Transfers in flight at once (default 8). */
  concurrency?: number;
  /**
   * Up to this many keys of one kind are asked by HEAD rather than listed (default 12: one
   * listing costs about 12.5 HEADs on AWS, R2 and GCS).
   */
  headThreshold?: number;
  /** Retries of transient failures (default {@link DEFAULT_STORE_RETRY}). */
  retry?: Partial<StoreRetryPolicy>;
  /** Milliseconds for a request's answer to begin (default 30 s). */
  requestTimeoutMs?: number;
  /** Slowest body rate before a transfer counts as stalled (default 64 KiB/s). */
  minBytesPerSecond?: number;
  /** Largest object read (default 1 GiB). */
  maxObjectBytes?: number;
  /** Milliseconds to open a connection (default 10 s). */
  connectTimeoutMs?: number;
  /** Sleeps between retries (tests pass one that does not wait). */
  clock?: Pick<Clock, 'sleep'>;
  /** Backoff jitter (default Math.random). */
  random?: () => number;
  /** Retries and fallbacks are reported at debug level. */
  logger?: Logger;
}

/**
 * Opens the store that `settings` describe (store-settings.ts). Loads the AWS SDK now, on
 * first use, never at import. Sends no request until a method is called.
 * @throws TypeError for an option out of range.
 */
export async function openRemoteStore(
  settings: StoreSettings,
  options: RemoteStoreOptions = {},
): Promise<RemoteStore> {
  const concurrency = positive(options.concurrency ?? 8, 'concurrency');
  const retry = { ...DEFAULT_STORE_RETRY, ...options.retry };
  positive(retry.attempts, 'retry.attempts');
  const calls = await connectS3(settings, {
    // Transfers, plus a listing per kind alongside them.
    maxSockets: concurrency + 2,
    connectTimeoutMs: positive(options.connectTimeoutMs ?? 10_000, 'connectTimeoutMs'),
  });
  const ctx: StoreContext = {
    settings,
    calls,
    retry: {
      policy: retry,
      clock: options.clock ?? systemClock,
      random: options.random ?? Math.random,
      logger: options.logger ?? silentLogger,
    },
    limit: pLimit(concurrency),
    requestTimeoutMs: positive(options.requestTimeoutMs ?? 30_000, 'requestTimeoutMs'),
    minBytesPerSecond: positive(options.minBytesPerSecond ?? 64 * 1024, 'minBytesPerSecond'),
    maxObjectBytes: positive(options.maxObjectBytes ?? 1024 ** 3, 'maxObjectBytes'),
    headThreshold: Math.max(0, Math.floor(options.headThreshold ?? 12)),
    conditionalPuts: true,
  };
  return {
    url: settings.url,
    hasMany: (keys, o) => hasMany(ctx, keys.map(storeKeyPath), o?.signal),
    getToFile: (key, destPath, o) => getToFile(ctx, key, destPath, o?.signal),
    putFile: (key, srcPath, o) => putFile(ctx, key, srcPath, o),
    checkWritable: (o) => checkWritable(ctx, o?.signal),
    records: {
      read: (path) => readSmall(ctx, path),
      write: (path, text, o) => writeSmall(ctx, path, text, o),
      list: (folder) => listUnder(ctx, folder),
    },
    requestCounts: () => calls.counts(),
    close: () => calls.close(),
  };
}

function positive(value: number, name: string): number {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new TypeError(`openRemoteStore: ${name} must be a positive number, got ${value}`);
  }
  return value;
}
