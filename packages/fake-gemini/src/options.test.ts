import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, resolveOptions } from './options.js';
import { startedFakes } from './test-utils/started-fakes.js';

const start = startedFakes({});

describe('resolveOptions', () => {
  it('fills defaults and copies lists, so a caller’s array cannot change the fake later', () => {
    const keys = ['a'];
    const o = resolveOptions({ apiKeys: keys });
    keys.push('b');
    expect(o.apiKeys).toEqual(['a']);
    expect(o.models).toEqual(DEFAULT_OPTIONS.models);
    expect(o.retryDelaySeconds).toBe(1);
  });

  it.each([
    [{ latency: 5 }, 'unknown option "latency"'],
    [{ rate429: 2 }, 'rate429 must be a probability'],
    [{ port: 70000 }, 'port must be an integer port'],
    [{ apiKeys: [''] }, 'apiKeys must be an array of non-empty strings'],
    [{ echoKey: 'rot13' }, 'echoKey must be one of none, debug-info, raw, url-encoded'],
    [{ maxFileBytes: 0 }, 'maxFileBytes must be an integer > 0'],
  ])('refuses %j', (patch, message) => {
    expect(() => resolveOptions(patch as never)).toThrow(TypeError);
    expect(() => resolveOptions(patch as never)).toThrow(message);
  });

  it('null turns RetryInfo off; an explicit undefined means the default', () => {
    expect(resolveOptions({ retryDelaySeconds: null }).retryDelaySeconds).toBeNull();
    expect(resolveOptions({ retryDelaySeconds: undefined }).retryDelaySeconds).toBe(1);
  });

  it('configure changes rates at run time but never the port', async () => {
    const gemini = await start();
    gemini.configure({ rate500: 1 });
    const res = await fetch(
      `${gemini.baseUrl}/v1beta/models/gemini-3.1-flash-image:generateContent`,
      {
        method: 'POST',
        headers: { 'x-goog-api-key': 'test-key' },
        body: '{"contents":[{"parts":[{"text":"p"}]}]}',
      },
    );
    expect(res.status).toBe(500);
    expect(() => gemini.configure({ port: 1 })).toThrow(TypeError);
    expect(() => gemini.injectOnce({ route: 'nowhere' as 'batchGet' })).toThrow(TypeError);
  });
});
