import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isPixlockError } from '../errors.js';
import { redactSecret } from '../http/redact-secret.js';
import {
  startStoreHarness,
  TEST_CREDENTIALS,
  type StoreHarness,
} from './test-utils/store-harness.js';

let h: StoreHarness;
beforeAll(async () => {
  h = await startStoreHarness({ retry: { attempts: 2 } });
});
afterAll(() => h.close());
beforeEach(() => h.s3.clearFaults());

const SECRETS = Object.values(TEST_CREDENTIALS);
const SIGNING =
  /AWS4-HMAC-SHA256|Signature=|X-Amz-Signature|X-Amz-Credential|Credential=|authorization/i;

/** Every way an error could be printed: message, stack, details, a deep inspect, JSON. */
function everyRendering(error: unknown): string {
  return [
    String(error),
    (error as Error).stack ?? '',
    inspect(error, { depth: Infinity, showHidden: true }),
    JSON.stringify(error),
    JSON.stringify((error as { extra?: unknown }).extra ?? null),
  ].join('\n');
}

/** Fails when `text` holds a credential in any encoding (raw, base64, URL, JSON, HTML) or a signature. */
function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(redactSecret(text, secret)).toBe(text);
  expect(text).not.toMatch(SIGNING);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('resolved'),
    (e: unknown) => e,
  );
}

describe('credentials never appear in errors or logs', () => {
  it('a server that echoes the signed headers back (raw, base64, URL-encoded)', async () => {
    const { key, path } = await h.file(Buffer.from('echo'));
    await h.store.putFile(key, path);
    h.s3.inject({ op: 'get', kind: 'echo-auth' });
    const error = await rejection(h.store.getToFile(key, `${h.dir}/echo.png`));
    expect(isPixlockError(error, 'STORE_DENIED')).toBe(true);
    expect((error as Error).message).toContain('SignatureDoesNotMatch');
    expectNoSecret(everyRendering(error));
  });

  it('the echo really carries them: the test would see a leak', async () => {
    h.s3.inject({ op: 'get', kind: 'echo-auth' });
    const body = await (
      await fetch(`${h.s3.endpoint}/${h.s3.bucket}/x`, {
        headers: { 'x-amz-security-token': TEST_CREDENTIALS.AWS_SESSION_TOKEN },
      })
    ).text();
    expect(() => expectNoSecret(body)).toThrow();
  });

  it('a server error whose message repeats the secret key', async () => {
    const { key, path } = await h.file(Buffer.from('hostile'));
    const message = `bad request from ${TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY} / ${encodeURIComponent(TEST_CREDENTIALS.AWS_SESSION_TOKEN)}`;
    h.s3.inject({ op: 'any', status: 500, message, times: 4 });
    const error = await rejection(h.store.putFile(key, path));
    expect(isPixlockError(error, 'STORE_UNREACHABLE')).toBe(true);
    expectNoSecret(everyRendering(error));
  });

  it('an access key the store does not know (InvalidAccessKeyId echoes it back)', async () => {
    const saved = process.env.AWS_ACCESS_KEY_ID;
    process.env.AWS_ACCESS_KEY_ID = 'AKIAUNKNOWNKEY0PIXLO';
    try {
      const store = await h.open();
      const error = await rejection(store.checkWritable());
      expect(isPixlockError(error, 'STORE_DENIED')).toBe(true);
      expect((error as Error).message).toContain('InvalidAccessKeyId');
      const text = everyRendering(error);
      expect(text).not.toContain('AKIAUNKNOWNKEY0PIXLO');
      expectNoSecret(text);
    } finally {
      process.env.AWS_ACCESS_KEY_ID = saved;
    }
  });

  it('no credentials at all says how to set them', async () => {
    const saved = { ...process.env };
    for (const name of Object.keys(TEST_CREDENTIALS)) delete process.env[name];
    // Nothing else in the chain may answer: no profile files, no instance metadata.
    Object.assign(process.env, {
      AWS_CONFIG_FILE: `${h.dir}/none`,
      AWS_SHARED_CREDENTIALS_FILE: `${h.dir}/none`,
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    try {
      const store = await h.open();
      const requests = h.s3.stats.requests.get;
      const error = await rejection(store.checkWritable());
      expect(isPixlockError(error, 'STORE_DENIED')).toBe(true);
      expect((error as Error).message).toContain('no storage credentials found');
      expect(h.s3.stats.requests.get).toBe(requests);
    } finally {
      process.env = saved;
    }
  });

  it('nor in anything the store logged along the way', () => {
    expect(h.logs.length).toBeGreaterThan(0);
    expectNoSecret(h.logs.join('\n'));
  });
});
