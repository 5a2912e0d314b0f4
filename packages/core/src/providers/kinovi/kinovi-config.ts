import { basename, dirname, join } from 'node:path';
import { parseEnv } from 'node:util';
import { PixlockError } from '../../errors.js';
import { apiKeyProblem, unsendableKey } from './api-key.js';
import { insecureDestination } from './key-destination.js';
import type { ResolvedManifest } from '../../manifest/resolved-manifest.js';
import type { ProviderEnvironment } from '../create-provider.js';

/** Where the API lives unless the manifest or `KINOVI_BASE_URL` says otherwise. */
export const KINOVI_DEFAULT_BASE_URL = 'https://kinovi.ai/api/v1';
/** The docs advise polling every 3–5 s. */
export const KINOVI_DEFAULT_POLL_INTERVAL_MS = 3000;
/** Per image, from create to downloaded; third parties report 60–90 s per image. */
export const KINOVI_DEFAULT_TIMEOUT_MS = 10 * 60_000;

/** How transient failures (5xx, network errors, 429 on a poll) are retried. */
export interface RetryPolicy {
  /** Tries in all, the first included (default 5). */
  attempts: number;
  /** First backoff ceiling in ms, doubled per try (default 500). */
  baseMs: number;
  /** Largest backoff ceiling in ms (default 8000). */
  capMs: number;
}

/** Everything the kinovi client needs; build it with {@link resolveKinoviConfig}. */
export interface KinoviConfig {
  /** Sent only as `Authorization: Bearer …` to `baseUrl`; never printed. */
  apiKey: string;
  /** e.g. `https://kinovi.ai/api/v1`, without a trailing slash. */
  baseUrl: string;
  /** Milliseconds between polls. */
  pollIntervalMs: number;
  /** Milliseconds one image may take from create to downloaded. */
  timeoutMs: number;
  /** Retries of transient failures (default {@link DEFAULT_RETRY}). */
  retry?: Partial<RetryPolicy>;
  /** Milliseconds one API call may take before it counts as a network failure (default 30 s). */
  requestTimeoutMs?: number;
  /** Milliseconds one download may take (default 2 min). */
  downloadTimeoutMs?: number;
  /** Largest accepted download in bytes (default 50 MB). */
  maxDownloadBytes?: number;
}

/** Bounded so a dead service fails an image in about 15 s rather than hanging the run. */
export const DEFAULT_RETRY: Readonly<RetryPolicy> = Object.freeze({
  attempts: 5,
  baseMs: 500,
  capMs: 8000,
});

/**
 * Resolves the kinovi settings. The key comes from `KINOVI_API_KEY` in `env`, else from the
 * `.env` text beside the manifest (`dotenvText`); never from the manifest, which is committed.
 * The base URL is `KINOVI_BASE_URL` (env, then `.env`), else the manifest's `provider.baseUrl`,
 * else {@link KINOVI_DEFAULT_BASE_URL}.
 *
 * Where the key may go: only over https, or plain http to loopback. A manifest or a `.env`
 * arrives in pull requests, so neither may send a key it does not own to a host of its
 * choosing: `provider.baseUrl` must name kinovi's own origin unless `KINOVI_BASE_URL` in the
 * environment names the same origin, and a `.env`'s `KINOVI_BASE_URL` counts only when the
 * key comes from that same `.env`.
 * @throws PixlockError PROVIDER_AUTH when no key is set; USAGE when the key cannot be sent as
 * a header, or the base URL is not a URL, not https (outside loopback), or a host the
 * manifest may not choose.
 */
export function resolveKinoviConfig(
  manifest: ResolvedManifest,
  env: ProviderEnvironment,
  dotenvText?: string,
): KinoviConfig {
  const dotenv = dotenvText === undefined ? {} : parseEnv(dotenvText);
  const fromEnv = (name: string) => nonEmpty(env[name]);
  const fromDotenv = (name: string) => nonEmpty(dotenv[name]);
  const keyFromEnv = fromEnv('KINOVI_API_KEY');
  const apiKey = keyFromEnv ?? fromDotenv('KINOVI_API_KEY');
  if (apiKey === undefined) throw missingKey(manifest.file);
  const problem = apiKeyProblem(apiKey);
  if (problem !== undefined) throw unsendableKey(problem, manifest.file);

  const envUrl = fromEnv('KINOVI_BASE_URL');
  const dotenvUrl = keyFromEnv === undefined ? fromDotenv('KINOVI_BASE_URL') : undefined;
  const manifestUrl = manifest.provider.baseUrl;
  let baseUrl: string;
  if (envUrl !== undefined) baseUrl = checkedUrl(envUrl, 'KINOVI_BASE_URL');
  else if (dotenvUrl !== undefined) {
    baseUrl = checkedUrl(dotenvUrl, `KINOVI_BASE_URL in ${dotenvPathFor(manifest.file)}`);
  } else if (manifestUrl !== undefined) {
    const where = `provider.baseUrl in ${manifest.file}`;
    baseUrl = checkedUrl(manifestUrl, where);
    const origin = new URL(baseUrl).origin;
    if (origin !== new URL(KINOVI_DEFAULT_BASE_URL).origin) {
      throw new PixlockError(
        'USAGE',
        `${where} sends the API key to ${origin}, which is not kinovi's ` +
          `(${new URL(KINOVI_DEFAULT_BASE_URL).origin}); a committed manifest may not choose ` +
          `where the key goes. To use that server, set KINOVI_BASE_URL=${baseUrl} in your ` +
          `environment`,
        { details: { retryable: false, mayHaveCharged: false } },
      );
    }
  } else baseUrl = KINOVI_DEFAULT_BASE_URL;
  return {
    apiKey,
    baseUrl,
    pollIntervalMs: manifest.provider.pollInterval ?? KINOVI_DEFAULT_POLL_INTERVAL_MS,
    timeoutMs: manifest.provider.timeout ?? KINOVI_DEFAULT_TIMEOUT_MS,
  };
}

/** Path of the `.env` file read for a manifest: the one beside it. */
export function dotenvPathFor(manifestFile: string): string {
  return join(dirname(manifestFile), '.env');
}

/** How to set the key, for every "no key" or "key refused" message. */
export function howToSetKey(manifestFile?: string): string {
  const name = manifestFile ? basename(manifestFile) : 'pixlock.yaml';
  const where = manifestFile ? dotenvPathFor(manifestFile) : `a .env file beside ${name}`;
  return (
    `set it with \`export KINOVI_API_KEY=...\` or a line \`KINOVI_API_KEY=...\` in ${where}; ` +
    `the key never goes in ${name}`
  );
}

function missingKey(manifestFile: string): PixlockError {
  return new PixlockError(
    'PROVIDER_AUTH',
    `the kinovi provider needs an API key: ${howToSetKey(manifestFile)}`,
  );
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function checkedUrl(value: string, source: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new PixlockError('USAGE', `${source} is not a URL: "${value}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new PixlockError('USAGE', `${source} must be an http(s) URL, got "${value}"`);
  }
  if (url.username || url.password) {
    throw new PixlockError('USAGE', `${source} must not carry a user name or password`);
  }
  const insecure = insecureDestination(url);
  if (insecure !== undefined) throw new PixlockError('USAGE', `${source}: ${insecure}`);
  // Endpoints are appended as `${base}/jobs/...`, so a trailing slash would double up.
  return value.replace(/\/+$/, '');
}
