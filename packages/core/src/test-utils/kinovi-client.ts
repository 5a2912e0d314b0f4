import { inspect } from 'node:util';
import { startFakeKinovi, type FakeKinovi, type FakeKinoviOptions } from '@pixlock/fake-kinovi';
import { afterEach, expect } from 'vitest';
import { PixlockError } from '../errors.js';
import type { HttpDeps } from '../http/http-deps.js';
import type { GenerationRequest, ImageProvider } from '../providers/image-provider.js';
import type { KinoviConfig } from '../providers/kinovi/kinovi-config.js';
import { kinoviProvider } from '../providers/kinovi/kinovi-provider.js';

export const ctx = { signal: new AbortController().signal };

/** A request for the client's methods, with fields to override. */
export const request = (over: Partial<GenerationRequest> = {}): GenerationRequest => ({
  id: 'hero',
  model: 'nanobanana2',
  prompt: 'a lighthouse',
  seed: 7,
  aspectRatio: '1:1',
  resolution: '2k',
  references: [],
  ...over,
});

/**
 * A kinovi client against a fake server on loopback, fast timers, closed after each test.
 * `setup` takes the fake's options, the client's config and its side effects (a fake clock).
 * `failure` returns the PixlockError a call rejects with and checks that `key` leaks nowhere
 * in it (message, cause chain, details).
 */
export function kinoviClientHarness(key: string) {
  const harness = {
    fake: undefined as FakeKinovi | undefined,

    async setup(
      options: Partial<FakeKinoviOptions> = {},
      config: Partial<KinoviConfig> = {},
      deps: Partial<HttpDeps> = {},
    ): Promise<ImageProvider> {
      harness.fake = await startFakeKinovi({
        apiKeys: [key],
        queueMs: 5,
        latencyMs: 10,
        ...options,
      });
      return kinoviProvider(
        {
          apiKey: key,
          baseUrl: harness.fake.baseUrl,
          pollIntervalMs: 5,
          timeoutMs: 5000,
          retry: { attempts: 3, baseMs: 1, capMs: 4 },
          ...config,
        },
        deps,
      );
    },

    async failure(promise: Promise<unknown>): Promise<PixlockError> {
      const error = await promise.then(
        () => {
          throw new Error('expected a rejection');
        },
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PixlockError);
      expect(inspect(error, { depth: Infinity, showHidden: true })).not.toContain(key);
      expect(JSON.stringify((error as PixlockError).extra.details ?? {})).not.toContain(key);
      return error as PixlockError;
    },
  };
  afterEach(async () => {
    await harness.fake?.close();
    harness.fake = undefined;
  });
  return harness;
}
