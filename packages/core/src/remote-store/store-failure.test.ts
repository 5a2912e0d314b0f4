import { describe, expect, it } from 'vitest';
import { classifyStoreFailure, storeError } from './store-failure.js';

const s3Error = (name: string, status?: number, extra: object = {}) =>
  Object.assign(new Error('server text that must not be repeated'), {
    name,
    ...(status !== undefined && { $metadata: { httpStatusCode: status } }),
    ...extra,
  });

describe('classifyStoreFailure', () => {
  it.each([
    [s3Error('AccessDenied', 403), 'STORE_DENIED', false],
    [s3Error('InvalidAccessKeyId', 403), 'STORE_DENIED', false],
    [s3Error('ExpiredToken', 400), 'STORE_DENIED', false],
    [s3Error('CredentialsProviderError'), 'STORE_DENIED', false],
    [s3Error('NoSuchKey', 404), 'STORE_MISSING', false],
    [s3Error('NoSuchBucket', 404), 'STORE_MISSING', false],
    [s3Error('SlowDown', 503), 'STORE_UNREACHABLE', true],
    [s3Error('InternalError', 500), 'STORE_UNREACHABLE', true],
    [s3Error('RequestTimeout', 400), 'STORE_UNREACHABLE', true],
    [s3Error('Unknown', 502), 'STORE_UNREACHABLE', true],
    [
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      'STORE_UNREACHABLE',
      true,
    ],
    [s3Error('InvalidArgument', 400), 'STORE_REFUSED', false],
    [s3Error('BadDigest', 400), 'STORE_REFUSED', false],
  ])('%s → %s', (error, code, retryable) => {
    expect(classifyStoreFailure(error)).toMatchObject({ code, retryable });
  });

  it('treats 429 and SlowDown as throttling', () => {
    expect(classifyStoreFailure(s3Error('Whatever', 429)).throttled).toBe(true);
    expect(classifyStoreFailure(s3Error('SlowDown', 503)).throttled).toBe(true);
    expect(classifyStoreFailure(s3Error('InternalError', 500)).throttled).toBe(false);
  });

  it('repeats only the status, a code from the known list and the errno', () => {
    const echoed = classifyStoreFailure(s3Error('AKIAPIXLOCKFAKETEST7', 403));
    expect(echoed).toMatchObject({ code: 'STORE_DENIED', reason: '403' });
    const failure = classifyStoreFailure(
      s3Error('Access Denied <script>', 403, { Code: 'wJalr/K7MDENG+bPxRfiCYz=' }),
    );
    expect(failure.reason).toBe('403');
    const message = storeError(failure, {
      storeUrl: 's3://b/p',
      operation: 'GET',
      object: 'o',
    }).message;
    expect(message).not.toContain('server text');
    expect(message).not.toContain('wJalr');
  });
});
