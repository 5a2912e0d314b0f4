import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAKE_S3_ACCESS_KEY_ID, startFakeS3, type FakeS3 } from '@pixlock/fake-s3';
import type { Logger } from '../../engine/ports.js';
import { sha256 } from '../../util/sha256.js';
import { openRemoteStore, type RemoteStore, type RemoteStoreOptions } from '../remote-store.js';
import type { StoreKey } from '../store-key.js';
import { resolveStoreSettings, type StoreSettings } from '../store-settings.js';

/** Credentials the harness puts in the environment: distinctive, so a leak is easy to find. */
export const TEST_CREDENTIALS = Object.freeze({
  AWS_ACCESS_KEY_ID: FAKE_S3_ACCESS_KEY_ID,
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYzSecretKey/42',
  AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEXAMPLEsessionTOKEN+/=with/odd+chars',
});

/** A fake S3 behind its fault proxy, a store opened on it, and a scratch folder. */
export interface StoreHarness {
  s3: FakeS3;
  store: RemoteStore;
  settings: StoreSettings;
  /** Every backoff the store slept, in ms: retries are counted without waiting. */
  sleeps: number[];
  /** Every line the store logged. */
  logs: string[];
  /** A scratch folder, removed on close. */
  dir: string;
  /** Writes `bytes` to a file in `dir` and returns it with the key it is stored under. */
  file(bytes: Buffer, kind?: StoreKey['kind']): Promise<{ key: StoreKey; path: string }>;
  /** Opens another store on the same server (other options, other credentials). */
  open(options?: RemoteStoreOptions): Promise<RemoteStore>;
  close(): Promise<void>;
}

/**
 * Starts the harness. Credentials go through the real chain: the harness sets
 * {@link TEST_CREDENTIALS} in `process.env` and restores it on close.
 */
export async function startStoreHarness(options: RemoteStoreOptions = {}): Promise<StoreHarness> {
  const saved = Object.fromEntries(
    Object.keys(TEST_CREDENTIALS).map((name) => [name, process.env[name]]),
  );
  Object.assign(process.env, TEST_CREDENTIALS);
  const s3 = await startFakeS3();
  const resolved = resolveStoreSettings(
    { url: `s3://${s3.bucket}/team/site` },
    { AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_REGION: 'us-east-1' },
  );
  if (!resolved.ok) throw new Error(resolved.problem.message);
  const dir = await mkdtemp(join(tmpdir(), 'pixlock-store-'));
  const sleeps: number[] = [];
  const logs: string[] = [];
  const logger: Logger = {
    info: (m) => logs.push(m),
    warn: (m) => logs.push(m),
    debug: (m) => logs.push(m),
  };
  const opened: RemoteStore[] = [];
  const open = async (extra: RemoteStoreOptions = {}) => {
    const store = await openRemoteStore(resolved.settings, {
      clock: { sleep: async (ms) => void sleeps.push(ms) },
      random: () => 0.5,
      logger,
      requestTimeoutMs: 2000,
      ...options,
      ...extra,
    });
    opened.push(store);
    return store;
  };
  const store = await open();
  let count = 0;
  return {
    s3,
    store,
    settings: resolved.settings,
    sleeps,
    logs,
    dir,
    async file(bytes, kind = 'originals') {
      const path = join(dir, `src-${count++}.png`);
      await writeFile(path, bytes);
      return { key: { kind, sha256: sha256(bytes), mediaType: 'image/png' }, path };
    },
    open,
    async close() {
      for (const s of opened) s.close();
      await s3.close();
      await rm(dir, { recursive: true, force: true });
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    },
  };
}

/** `n` distinct small bodies, deterministic. */
export function bodies(n: number, tag = 'img'): Buffer[] {
  return Array.from({ length: n }, (_, i) => Buffer.from(`${tag}-${i}-${'x'.repeat(i % 7)}`));
}
