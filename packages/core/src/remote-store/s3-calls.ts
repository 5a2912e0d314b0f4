import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { StoreSettings } from './store-settings.js';

/** Requests sent to the store, by kind: what a bench prints and a test holds to a bound. */
export interface RequestCounts {
  head: number;
  list: number;
  get: number;
  put: number;
  delete: number;
  /** Every request, these and any other. */
  total: number;
}

/** One page of a listing, in S3's key order. */
export interface ListPage {
  keys: string[];
  /** More keys follow the last one. */
  truncated: boolean;
}

/** What {@link S3Calls.put} sends. */
export interface PutInput {
  key: string;
  /** A fresh stream of exactly `size` bytes. */
  body: Readable;
  size: number;
  /** Base64 MD5 of the body: the store refuses a body that arrives different (BadDigest). */
  md5: string;
  contentType: string;
  /** Send `If-None-Match: *`, so an object already there is never written over. */
  ifNoneMatch: boolean;
}

/**
 * The S3 requests the store sends, one HTTP request per call (the SDK's own retries are off:
 * with-retries.ts retries whole transfers, which can reopen a file and restart a body).
 * Keys are full object keys. Errors are the SDK's, classified by store-failure.ts.
 */
export interface S3Calls {
  /** True when the object exists, false on 404. */
  head(key: string, signal: AbortSignal): Promise<boolean>;
  /** Up to 1,000 keys under `prefix` that sort after `startAfter`. */
  list(prefix: string, startAfter: string, signal: AbortSignal): Promise<ListPage>;
  /** The object's body as a stream, and its declared length. */
  get(key: string, signal: AbortSignal): Promise<{ body: Readable; size?: number }>;
  /** `exists` when `ifNoneMatch` was sent and the object was already there (412). */
  put(input: PutInput, signal: AbortSignal): Promise<'created' | 'exists'>;
  /** A snapshot of the requests sent so far. */
  counts(): RequestCounts;
  /** Closes idle sockets. */
  close(): void;
}

/** Connection limits of {@link connectS3}. */
export interface ConnectOptions {
  /** Sockets kept per host: the transfers' concurrency, plus room for existence checks. */
  maxSockets: number;
  /** Milliseconds to open a connection (default 10 s). */
  connectTimeoutMs?: number;
  /** Milliseconds a socket may sit idle mid-request (default 30 s). */
  idleTimeoutMs?: number;
}

const SILENT_SDK_LOGGER = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
};

const COUNTED: Record<string, keyof Omit<RequestCounts, 'total'>> = {
  HeadObjectCommand: 'head',
  ListObjectsV2Command: 'list',
  GetObjectCommand: 'get',
  PutObjectCommand: 'put',
  DeleteObjectCommand: 'delete',
};

const NODE_WARNING_SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/**
 * Runs `make` (the client's constructor, which is synchronous) with the SDK's Node version
 * warning off, unless the user set that switch themselves. On Node 20 the SDK writes an
 * eight-line notice to stderr in every process, in the middle of pixlock's progress, saying
 * that its versions published after January 2027 will need Node 22: the README says so once,
 * in "The store". The environment is put back before anything else runs.
 */
function withoutNodeVersionWarning<T>(make: () => T): T {
  if (process.env[NODE_WARNING_SWITCH] !== undefined) return make();
  process.env[NODE_WARNING_SWITCH] = 'true';
  try {
    return make();
  } finally {
    delete process.env[NODE_WARNING_SWITCH];
  }
}

/**
 * Builds an S3 client from settings. The SDK is imported here, at call time, so a project
 * without a store loads none of it. Credentials come from the SDK's default chain.
 */
export async function connectS3(
  settings: StoreSettings,
  options: ConnectOptions,
): Promise<S3Calls> {
  const sdk = await import('@aws-sdk/client-s3');
  const agent = { keepAlive: true, maxSockets: options.maxSockets };
  const client: S3Client = withoutNodeVersionWarning(
    () =>
      new sdk.S3Client({
        region: settings.region,
        ...(settings.endpoint !== undefined && { endpoint: settings.endpoint }),
        forcePathStyle: settings.forcePathStyle,
        followRegionRedirects: settings.endpoint === undefined,
        maxAttempts: 1,
        // Quiet: with its default logger the SDK writes a line of its own to stderr whenever a
        // streamed upload fails ("non-retryable streaming request"), past pixlock's output; the
        // failure reaches pixlock as an error, which it reports (and retries) itself.
        logger: SILENT_SDK_LOGGER,
        // Checksums only where an operation requires them: the default (a CRC32 trailer in
        // aws-chunked encoding) is refused by several S3-compatible services; pixlock checks every
        // body against its sha256 itself and sends Content-MD5 on uploads.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        requestHandler: {
          connectionTimeout: options.connectTimeoutMs ?? 10_000,
          socketTimeout: options.idleTimeoutMs ?? 30_000,
          httpAgent: agent,
          httpsAgent: agent,
        },
      }),
  );
  const counts: RequestCounts = { head: 0, list: 0, get: 0, put: 0, delete: 0, total: 0 };
  // At the deserialize step, after signing: counts requests that were really sent.
  client.middlewareStack.add(
    (next, context) => (args) => {
      const kind = COUNTED[context.commandName ?? ''];
      if (kind !== undefined) counts[kind] += 1;
      counts.total += 1;
      return next(args);
    },
    { step: 'deserialize', name: 'pixlockCountRequests' },
  );
  const Bucket = settings.bucket;
  const status = (error: unknown) =>
    (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

  return {
    async head(key, abortSignal) {
      try {
        await client.send(new sdk.HeadObjectCommand({ Bucket, Key: key }), { abortSignal });
        return true;
      } catch (error) {
        if (status(error) === 404) return false;
        throw error;
      }
    },
    async list(prefix, startAfter, abortSignal) {
      const answer = await client.send(
        new sdk.ListObjectsV2Command({
          Bucket,
          Prefix: prefix,
          StartAfter: startAfter,
          MaxKeys: 1000,
        }),
        { abortSignal },
      );
      const keys = (answer.Contents ?? [])
        .map((c) => c.Key)
        .filter((k): k is string => typeof k === 'string');
      return { keys, truncated: answer.IsTruncated === true };
    },
    async get(key, abortSignal) {
      const answer = await client.send(new sdk.GetObjectCommand({ Bucket, Key: key }), {
        abortSignal,
      });
      const body = answer.Body as Readable | undefined;
      if (!body || typeof body.pipe !== 'function') {
        throw Object.assign(new Error('no body'), { name: 'EmptyBody' });
      }
      return {
        body,
        ...(typeof answer.ContentLength === 'number' && { size: answer.ContentLength }),
      };
    },
    async put(input, abortSignal) {
      try {
        await client.send(
          new sdk.PutObjectCommand({
            Bucket,
            Key: input.key,
            Body: input.body,
            ContentLength: input.size,
            ContentMD5: input.md5,
            ContentType: input.contentType,
            // Content-addressed: the bytes under a key never change.
            CacheControl: 'public, max-age=31536000, immutable',
            ...(input.ifNoneMatch && { IfNoneMatch: '*' }),
          }),
          { abortSignal },
        );
        return 'created';
      } catch (error) {
        if (input.ifNoneMatch && status(error) === 412) return 'exists';
        throw error;
      }
    },
    counts: () => ({ ...counts }),
    close: () => client.destroy(),
  };
}
