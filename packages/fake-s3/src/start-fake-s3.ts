import { createHash } from 'node:crypto';
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import S3rver from 's3rver';
import S3Account from 's3rver/lib/models/account.js';
import { startFaultProxy } from './fault-proxy.js';
import type { ProxyStats } from './proxy-stats.js';
import type { S3Fault } from './s3-faults.js';

/** Options of {@link startFakeS3}. */
export interface FakeS3Options {
  /** Buckets to create (default `['pixlock-test']`). */
  buckets?: string[];
  /**
   * Where the server keeps objects (default a fresh folder in memory, /dev/shm, where there is
   * one, else the temporary folder; removed on close).
   */
  directory?: string;
}

/** A running fake; see {@link startFakeS3}. */
export interface FakeS3 {
  /** The proxy's URL, e.g. `http://127.0.0.1:40123`: what the client uses as its endpoint. */
  readonly endpoint: string;
  /** The server itself, behind no proxy. */
  readonly serverEndpoint: string;
  /** The first bucket. */
  readonly bucket: string;
  /** Requests that reached the proxy, by operation. */
  readonly stats: ProxyStats;
  /** Queues a scripted fault for the next matching request(s). */
  inject(fault: S3Fault): void;
  /** Scripted faults not yet used up. */
  readonly pendingFaults: number;
  /** Drops every queued fault. */
  clearFaults(): void;
  /**
   * Writes an object straight into the server's store: no request, no proxy, no count. For
   * seeding thousands of objects fast, or planting bytes that do not match their key.
   */
  seed(key: string, body: Buffer, contentType?: string, bucket?: string): Promise<void>;
  /** {@link seed} for many objects at once (thousands take a fraction of a second). */
  seedMany(
    objects: readonly { key: string; body: Buffer; contentType?: string }[],
    bucket?: string,
  ): Promise<void>;
  /** Stops the proxy and the server and removes a temporary folder. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * An access key id the server knows (besides s3rver's own `S3RVER`); any secret is accepted,
 * since s3rver does not check SigV4 signatures. Other ids are refused (InvalidAccessKeyId).
 */
export const FAKE_S3_ACCESS_KEY_ID = 'AKIAPIXLOCKFAKETEST7';

/**
 * Starts s3rver (a real S3 protocol server) on 127.0.0.1 with a fault-injecting proxy in front.
 * Path-style addressing only: use the endpoint with `forcePathStyle`.
 */
export async function startFakeS3(options: FakeS3Options = {}): Promise<FakeS3> {
  const buckets = options.buckets ?? ['pixlock-test'];
  // A distinctive id, so a test can look for it in every message; registered process-wide.
  S3Account.DUMMY_ACCOUNT.createKeyPair(FAKE_S3_ACCESS_KEY_ID, 'not-checked');
  const ownDirectory = options.directory === undefined;
  const directory = options.directory ?? (await mkdtemp(join(scratchRoot(), 'pixlock-fake-s3-')));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    vhostBuckets: false,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  const proxy = await startFaultProxy({ host: '127.0.0.1', port });
  let closed: Promise<void> | undefined;
  return {
    endpoint: proxy.url,
    serverEndpoint: `http://127.0.0.1:${port}`,
    bucket: buckets[0]!,
    stats: proxy.stats,
    inject: (fault) => proxy.faults.add(fault),
    get pendingFaults() {
      return proxy.faults.pending;
    },
    clearFaults: () => proxy.faults.clear(),
    async seed(key, body, contentType = 'application/octet-stream', bucket = buckets[0]!) {
      seedObject(server, bucket, key, body, contentType);
    },
    async seedMany(objects, bucket = buckets[0]!) {
      for (const { key, body, contentType } of objects) {
        seedObject(server, bucket, key, body, contentType ?? 'application/octet-stream');
      }
    },
    close() {
      closed ??= (async () => {
        await proxy.close();
        server.httpServer.closeAllConnections();
        await server.close();
        if (ownDirectory) await rm(directory, { recursive: true, force: true });
      })();
      return closed;
    },
  };
}

/**
 * Writes an object straight into s3rver's folder layout (its own putObject takes ~2 ms an
 * object): the bytes, their MD5 (the ETag, else computed on every first listing) and the
 * metadata. Synchronous on purpose: thousands of small files write several times faster so.
 */
function seedObject(
  server: S3rver,
  bucket: string,
  key: string,
  body: Buffer,
  contentType: string,
): void {
  const objectPath = server.store.getResourcePath(bucket, key, 'object');
  mkdirSync(dirname(objectPath), { recursive: true });
  writeFileSync(objectPath, body);
  writeFileSync(`${objectPath}.md5`, createHash('md5').update(body).digest('hex'));
  writeFileSync(
    server.store.getResourcePath(bucket, key, 'metadata.json'),
    JSON.stringify({ 'content-type': contentType }),
  );
}

/**
 * s3rver keeps three files per object and reads them on every listing: on a disk shared with
 * other busy processes that is seconds per thousand objects, in memory a fraction of one.
 */
function scratchRoot(): string {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}
