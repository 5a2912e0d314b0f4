import { afterEach, describe, expect, it } from 'vitest';
import { startFakeKinovi } from './fake-kinovi-server.js';
import type { FakeKinovi } from './fake-kinovi-server.js';
import { DEFAULT_OPTIONS, resolveOptions } from './options.js';
import type { FakeKinoviOptions } from './options.js';

describe('resolveOptions', () => {
  it('fills the documented defaults: loopback, one test key, fast timers, no fault at all', () => {
    const o = resolveOptions();
    expect(o).toMatchObject({
      port: 0,
      host: '127.0.0.1',
      apiKeys: ['test-key'],
      queueMs: 20,
      latencyMs: 50,
      concurrencyLimit: 5,
      credits: 100_000,
      echoKey: 'none',
      numericTaskIds: false,
      hostileText: false,
      chargePerTask: undefined,
      creditsUsedReport: undefined,
      jsonTrickleBytesPerSecond: 0,
      downloadTrickleBytesPerSecond: 0,
    });
    const rates = Object.entries(o).filter(([k]) => /^rate|Rate$/.test(k));
    expect(rates.length).toBeGreaterThanOrEqual(15);
    expect(rates.filter(([, v]) => v !== 0)).toEqual([]);
    expect(resolveOptions({ latencyMs: 5 })).toMatchObject({ latencyMs: 5, queueMs: 20 });
  });

  it('hands out copies: changing a resolved list does not change the defaults', () => {
    resolveOptions({ apiKeys: ['a'] }).apiKeys.push('b');
    resolveOptions().apiKeys.push('mutated');
    expect(DEFAULT_OPTIONS.apiKeys).toEqual(['test-key']);
    expect(Object.isFrozen(DEFAULT_OPTIONS)).toBe(true);
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
    ['unknown echo form', { echoKey: 'rot13' }],
    ['negative charge', { chargePerTask: -1 }],
    ['infinite report', { creditsUsedReport: Infinity }],
    ['poll fault rate above 1', { pollFaultRate: 2 }],
    ['negative trickle', { downloadTrickleBytesPerSecond: -5 }],
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
