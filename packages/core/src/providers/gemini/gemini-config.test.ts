import { describe, expect, it } from 'vitest';
import { isPixlockError } from '../../errors.js';
import { resolveGeminiConfig, type GeminiSetup } from './gemini-config.js';

const setup = (over: Partial<GeminiSetup> = {}): GeminiSetup => ({
  settings: { mode: 'interactive' },
  manifestFile: '/p/pixlock.yaml',
  env: {},
  ...over,
});
const fails = (s: GeminiSetup) => {
  try {
    resolveGeminiConfig(s);
  } catch (error) {
    return error;
  }
  throw new Error('expected the config to be refused');
};

describe('resolveGeminiConfig', () => {
  it('reads the key as the SDK does: GOOGLE_API_KEY, else GEMINI_API_KEY, trimmed, empty as unset; the environment before .env', () => {
    const key = (env: Record<string, string>, dotenv?: Record<string, string>) =>
      resolveGeminiConfig(setup({ env, dotenv })).apiKey;
    expect(key({ GOOGLE_API_KEY: 'g', GEMINI_API_KEY: 'm' })).toBe('g');
    expect(key({ GOOGLE_API_KEY: '  ', GEMINI_API_KEY: ' m ' })).toBe('m');
    expect(key({}, { GEMINI_API_KEY: 'from-dotenv' })).toBe('from-dotenv');
    expect(key({ GEMINI_API_KEY: 'env' }, { GOOGLE_API_KEY: 'dotenv' })).toBe('env');
    const none = fails(setup());
    expect(isPixlockError(none, 'PROVIDER_AUTH')).toBe(true);
    expect((none as Error).message).toContain('export GEMINI_API_KEY=');
    expect((none as Error).message).toContain('/p/.env');
  });

  it('refuses a key that cannot be a header, naming the position, never the key', () => {
    const error = fails(setup({ env: { GEMINI_API_KEY: 'AIza secret\u00e9' } }));
    expect(isPixlockError(error, 'USAGE')).toBe(true);
    expect((error as Error).message).toMatch(
      /GEMINI_API_KEY cannot be sent .* a space \(U\+0020\) at position 5/,
    );
    expect((error as Error).message).not.toContain('secret');
  });

  it("sends the key to Google's endpoint, or to the root GOOGLE_GEMINI_BASE_URL names, v1beta appended", () => {
    const root = (over: Partial<GeminiSetup>) => {
      const c = resolveGeminiConfig(setup({ env: { GEMINI_API_KEY: 'k' }, ...over }));
      return `${c.root} ${c.apiVersion}`;
    };
    expect(root({})).toBe('https://generativelanguage.googleapis.com v1beta');
    expect(
      root({ env: { GEMINI_API_KEY: 'k', GOOGLE_GEMINI_BASE_URL: 'http://127.0.0.1:8788/' } }),
    ).toBe('http://127.0.0.1:8788 v1beta');
    expect(root({ env: { GEMINI_API_KEY: 'k', GOOGLE_GENAI_API_VERSION: 'v1' } })).toMatch(/ v1$/);
    expect(root({ env: { GEMINI_API_KEY: 'k', GOOGLE_GENAI_API_VERSION: 'beta' } })).toMatch(
      / v1beta$/,
    );
    expect(
      root({ settings: { mode: 'batch', baseUrl: 'https://generativelanguage.googleapis.com' } }),
    ).toBe('https://generativelanguage.googleapis.com v1beta');
  });

  it('lets a manifest name no other host, a .env only with its own key, and plain http only on loopback', () => {
    const manifest = fails(
      setup({
        env: { GEMINI_API_KEY: 'k' },
        settings: { mode: 'interactive', baseUrl: 'https://evil.example/' },
      }),
    );
    expect((manifest as Error).message).toContain(
      'set GOOGLE_GEMINI_BASE_URL=https://evil.example in your environment',
    );
    // A .env's base URL does not take a key from the environment elsewhere.
    const c = resolveGeminiConfig(
      setup({
        env: { GEMINI_API_KEY: 'k' },
        dotenv: { GOOGLE_GEMINI_BASE_URL: 'https://evil.example' },
      }),
    );
    expect(c.root).toBe('https://generativelanguage.googleapis.com');
    expect(
      resolveGeminiConfig(
        setup({ dotenv: { GEMINI_API_KEY: 'k', GOOGLE_GEMINI_BASE_URL: 'http://localhost:9' } }),
      ).root,
    ).toBe('http://localhost:9');
    for (const url of [
      'http://10.0.0.2',
      'ftp://x',
      'https://u:p@x.example',
      'https://x.example/v1beta',
      'https://x?q',
    ]) {
      expect(
        isPixlockError(
          fails(setup({ env: { GEMINI_API_KEY: 'k', GOOGLE_GEMINI_BASE_URL: url } })),
          'USAGE',
        ),
      ).toBe(true);
    }
    expect(
      isPixlockError(
        fails(setup({ env: { GEMINI_API_KEY: 'k', GOOGLE_GENAI_API_VERSION: '../x' } })),
        'USAGE',
      ),
    ).toBe(true);
  });

  it('times each mode: a call of five minutes, a batch job of 25 hours polled every 30 s', () => {
    const env = { GEMINI_API_KEY: 'k' };
    expect(resolveGeminiConfig(setup({ env }))).toMatchObject({
      mode: 'interactive',
      timeoutMs: 300_000,
    });
    expect(resolveGeminiConfig(setup({ env, settings: { mode: 'batch' } }))).toMatchObject({
      mode: 'batch',
      timeoutMs: 25 * 3_600_000,
      pollIntervalMs: 30_000,
    });
    expect(
      resolveGeminiConfig(
        setup({ env, settings: { mode: 'batch', pollInterval: 50, timeout: 9000 } }),
      ),
    ).toMatchObject({ pollIntervalMs: 50, timeoutMs: 9000 });
  });
});
