import { afterEach, describe, expect, it } from 'vitest';
import { startFakeKinovi } from './fake-kinovi-server.js';
import type { FakeKinovi } from './fake-kinovi-server.js';
import { DEFAULT_OPTIONS, resolveOptions } from './options.js';
import type { FakeKinoviOptions } from './options.js';

describe('resolveOptions', () => {
  it('fills defaults', () => {
    expect(resolveOptions()).toEqual(DEFAULT_OPTIONS);
    expect(resolveOptions({ latencyMs: 5 })).toMatchObject({ latencyMs: 5, queueMs: 20 });
  });

  it.each<[string, Record<string, unknown>]>([
    ['negative latency', { latencyMs: -1 }],
    ['NaN queue', { queueMs: NaN }],
    ['rate above 1', { rate429: 1.5 }],
    ['fractional limit', { concurrencyLimit: 2.5 }],
    ['unknown media type', { mediaType: 'image/webp' }],
    ['unknown state field', { stateField: 'phase' }],
    ['empty key', { apiKeys: [''] }],
    ['a typo', { latency: 10 }],
    ['bad port', { port: 70000 }],
  ])('throws TypeError on %s', (_name, patch) => {
    expect(() => resolveOptions(patch as Partial<FakeKinoviOptions>)).toThrow(TypeError);
  });

  it('startFakeKinovi rejects nonsense before listening', async () => {
    await expect(startFakeKinovi({ failRate: 2 })).rejects.toThrow(TypeError);
  });
});

describe('configure', () => {
  let kinovi: FakeKinovi | undefined;
  afterEach(async () => kinovi?.close());

  it('validates patches and refuses to move the port', async () => {
    kinovi = await startFakeKinovi();
    expect(() => kinovi?.configure({ rate500: -0.1 })).toThrow(TypeError);
    expect(() => kinovi?.configure({ port: 1 })).toThrow(TypeError);
    kinovi.configure({ credits: 7, concurrencyLimit: Infinity });
    expect(kinovi.stats.creditsAvailable).toBe(7);
  });
});
