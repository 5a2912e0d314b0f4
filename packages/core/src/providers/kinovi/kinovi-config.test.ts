import path from 'node:path';
import { parseEnv } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { isPixlockError, PixlockError } from '../../errors.js';
import type { ResolvedKinoviSettings } from '../../manifest/providers/kinovi-settings.js';
import type { ResolvedManifest } from '../../manifest/resolved-manifest.js';
import { tempProject, type TempProject } from '../../test-utils/temp-project.js';
import { createProvider } from '../create-provider.js';
import { KINOVI_DEFAULT_BASE_URL, resolveKinoviConfig } from './kinovi-config.js';

function manifest(
  provider: Partial<Omit<ResolvedKinoviSettings, 'name'>> = {},
  dir = '/p',
): ResolvedManifest & { provider: ResolvedKinoviSettings } {
  return {
    file: path.join(dir, 'pixlock.yaml'),
    dir,
    outDir: 'generated',
    provider: { name: 'kinovi', model: 'nanobanana2', ...provider },
    concurrency: 4,
    images: [],
    files: [path.join(dir, 'pixlock.yaml')],
  };
}

/** resolveKinoviConfig for a manifest, its environment and the text of its `.env`. */
function resolve(m: ReturnType<typeof manifest>, env: Record<string, string>, dotenv?: string) {
  return resolveKinoviConfig({
    settings: m.provider,
    manifestFile: m.file,
    env,
    dotenv: dotenv === undefined ? undefined : parseEnv(dotenv),
  });
}

function thrown(fn: () => unknown): PixlockError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PixlockError) return error;
    throw error;
  }
  throw new Error('expected a PixlockError');
}

describe('resolveKinoviConfig', () => {
  it('applies the defaults', () => {
    expect(resolve(manifest(), { KINOVI_API_KEY: 'k1' })).toEqual({
      apiKey: 'k1',
      baseUrl: KINOVI_DEFAULT_BASE_URL,
      pollIntervalMs: 3000,
      timeoutMs: 600_000,
    });
  });

  it("takes poll interval, timeout and kinovi's own base URL from the manifest", () => {
    const m = manifest({ baseUrl: 'https://kinovi.ai/api/v2/', pollInterval: 50, timeout: 2000 });
    expect(resolve(m, { KINOVI_API_KEY: 'k1' })).toMatchObject({
      baseUrl: 'https://kinovi.ai/api/v2',
      pollIntervalMs: 50,
      timeoutMs: 2000,
    });
  });

  it('lets KINOVI_BASE_URL override the manifest, from env before .env', () => {
    const m = manifest({ baseUrl: 'https://manifest.example/api/v1' });
    const dotenv = 'KINOVI_API_KEY=dk\nKINOVI_BASE_URL=https://dotenv.example/api/v1\n';
    expect(resolve(m, {}, dotenv).baseUrl).toBe('https://dotenv.example/api/v1');
    const env = { KINOVI_API_KEY: 'k', KINOVI_BASE_URL: 'https://env.example/api/v1' };
    expect(resolve(m, env, dotenv).baseUrl).toBe('https://env.example/api/v1');
  });

  it.each([
    ['another host over https', 'https://collector.example/api/v1', /not kinovi's/],
    ['another host over http', 'http://collector.example/api/v1', /unencrypted/],
    ['loopback', 'http://127.0.0.1:9/api/v1', /not kinovi's/],
    ['kinovi over plain http', 'http://kinovi.ai/api/v1', /unencrypted/],
    ['credentials in the URL', 'https://u:p@kinovi.ai/api/v1', /user name or password/],
  ])('refuses a manifest baseUrl naming %s (USAGE, exit 2)', (_what, baseUrl, message) => {
    const error = thrown(() => resolve(manifest({ baseUrl }), { KINOVI_API_KEY: 'sk-env-key' }));
    expect(error.code).toBe('USAGE');
    expect(error.message).toMatch(message);
    expect(error.message).toContain('provider.baseUrl in /p/pixlock.yaml');
    expect(error.message).not.toContain('sk-env-key');
  });

  it('accepts another host when KINOVI_BASE_URL in the environment names it', () => {
    const baseUrl = 'http://127.0.0.1:9/api/v1';
    const env = { KINOVI_API_KEY: 'k', KINOVI_BASE_URL: baseUrl };
    expect(resolve(manifest({ baseUrl }), env).baseUrl).toBe(baseUrl);
    for (const url of ['http://[::1]:9', 'http://localhost', 'http://127.3.4.5:1/x']) {
      expect(resolve(manifest(), { ...env, KINOVI_BASE_URL: url }).baseUrl).toBe(url);
    }
  });

  it('refuses plain http to another host even from the environment', () => {
    const env = { KINOVI_API_KEY: 'k', KINOVI_BASE_URL: 'http://10.0.0.5/api/v1' };
    expect(thrown(() => resolve(manifest(), env)).message).toMatch(/unencrypted/);
  });

  it('ignores a .env base URL when the key comes from the environment', () => {
    // A .env can arrive in a pull request: it may not redirect a key it does not hold.
    const dotenv = 'KINOVI_BASE_URL=https://collector.example/api/v1\n';
    expect(resolve(manifest(), { KINOVI_API_KEY: 'k' }, dotenv).baseUrl).toBe(
      KINOVI_DEFAULT_BASE_URL,
    );
  });

  it.each([
    ['a non-Latin-1 character', 'sk-\u20ac-secret', /U\+20AC\) at position 4/],
    ['a line break', 'sk-sec\r\nX-Evil: 1', /control character \(U\+000D\)/],
    ['a space inside', 'sk sec', /a space/],
  ])('refuses a key with %s before any request (USAGE, exit 2)', (_what, key, message) => {
    const error = thrown(() => resolve(manifest(), { KINOVI_API_KEY: key }));
    expect(error.code).toBe('USAGE');
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(key.trim());
    expect(error.message).not.toContain('secret');
  });

  it('reads the key from .env when the environment has none, the environment first', () => {
    const dotenv = '# secrets\nKINOVI_API_KEY="from-dotenv"\nOTHER=1\n';
    expect(resolve(manifest(), {}, dotenv).apiKey).toBe('from-dotenv');
    expect(resolve(manifest(), { KINOVI_API_KEY: ' env ' }, dotenv).apiKey).toBe('env');
    expect(resolve(manifest(), { KINOVI_API_KEY: '' }, dotenv).apiKey).toBe('from-dotenv');
  });

  it('says exactly how to set a missing key', () => {
    const error = thrown(() => resolve(manifest(), {}, 'OTHER=1\n'));
    expect(error.code).toBe('PROVIDER_AUTH');
    expect(error.message).toContain('export KINOVI_API_KEY=...');
    expect(error.message).toContain('`KINOVI_API_KEY=...` in /p/.env');
    expect(error.message).toContain('never goes in pixlock.yaml');
  });

  it('rejects a base URL that is not http(s)', () => {
    const error = thrown(() =>
      resolve(manifest(), { KINOVI_API_KEY: 'k', KINOVI_BASE_URL: 'ftp://x' }),
    );
    expect(error).toMatchObject({ code: 'USAGE' });
    expect(error.message).toContain('KINOVI_BASE_URL');
  });
});

describe('createProvider (kinovi)', () => {
  let project: TempProject | undefined;
  afterEach(() => project?.cleanup());

  it('reads the .env file beside the manifest', async () => {
    project = await tempProject({ '.env': 'KINOVI_API_KEY=from-file\n' });
    const provider = await createProvider(manifest({ pollInterval: 40 }, project.dir), {});
    expect(provider).toMatchObject({ name: 'kinovi', pollIntervalMs: 40, timeoutMs: 600_000 });
    // The key stays in a closure, so printing the provider cannot show it.
    expect(JSON.stringify(provider)).not.toContain('from-file');
  });

  it('fails with PROVIDER_AUTH when neither the environment nor .env has a key', async () => {
    project = await tempProject({});
    const error = await createProvider(manifest({}, project.dir), {}).catch((e: unknown) => e);
    expect(isPixlockError(error, 'PROVIDER_AUTH')).toBe(true);
    expect((error as Error).message).toContain(path.join(project.dir, '.env'));
  });

  it('still builds the placeholder without any key', async () => {
    const provider = await createProvider(
      { ...manifest(), provider: { name: 'placeholder', model: 'x' } },
      {},
    );
    expect(provider.name).toBe('placeholder');
  });
});
