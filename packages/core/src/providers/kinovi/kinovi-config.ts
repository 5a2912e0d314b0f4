import { PixlockError } from '../../errors.js';
import type { ResolvedKinoviSettings } from '../../manifest/providers/kinovi-settings.js';
import { apiKeyProblem } from '../../http/api-key-problem.js';
import { checkedBaseUrl } from '../../http/checked-base-url.js';
import type { RetryPolicy } from '../../http/with-retries.js';
import { dotenvPathFor, type ProviderEnvironment } from '../provider-environment.js';
import { missingKey, unsendableKey } from './kinovi-key.js';

/** Where the API lives unless the manifest or `KINOVI_BASE_URL` says otherwise. */
export const KINOVI_DEFAULT_BASE_URL = 'https://kinovi.ai/api/v1';
/** The docs advise polling every 3–5 s. */
export const KINOVI_DEFAULT_POLL_INTERVAL_MS = 3000;
/** Per image, from create to downloaded; third parties report 60–90 s per image. */
export const KINOVI_DEFAULT_TIMEOUT_MS = 10 * 60_000;

/** What {@link resolveKinoviConfig} reads. */
export interface KinoviSetup {
  /** The manifest's `provider`, defaults applied. */
  settings: Omit<ResolvedKinoviSettings, 'name' | 'model'>;
  /** The main manifest: messages name it and its `.env`. */
  manifestFile: string;
  env: ProviderEnvironment;
  /** The `.env` beside the manifest, parsed; undefined when there is none. */
  dotenv?: ProviderEnvironment | undefined;
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
  /** Retries of transient failures (default: DEFAULT_RETRY of with-retries.ts). */
  retry?: Partial<RetryPolicy>;
  /** Milliseconds one API call may take before it counts as a network failure (default 30 s). */
  requestTimeoutMs?: number;
  /** Milliseconds one download may take (default 2 min). */
  downloadTimeoutMs?: number;
  /** Largest accepted download in bytes (default 50 MB). */
  maxDownloadBytes?: number;
}

/**
 * Resolves the kinovi settings. The key comes from `KINOVI_API_KEY` in `env`, else from the
 * `.env` beside the manifest (`dotenv`); never from the manifest, which is committed.
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
export function resolveKinoviConfig(setup: KinoviSetup): KinoviConfig {
  const { settings, manifestFile, env } = setup;
  const fromEnv = (name: string) => nonEmpty(env[name]);
  const fromDotenv = (name: string) => nonEmpty(setup.dotenv?.[name]);
  const keyFromEnv = fromEnv('KINOVI_API_KEY');
  const apiKey = keyFromEnv ?? fromDotenv('KINOVI_API_KEY');
  if (apiKey === undefined) throw missingKey(manifestFile);
  const problem = apiKeyProblem(apiKey);
  if (problem !== undefined) throw unsendableKey(problem, manifestFile);

  const envUrl = fromEnv('KINOVI_BASE_URL');
  const dotenvUrl = keyFromEnv === undefined ? fromDotenv('KINOVI_BASE_URL') : undefined;
  const manifestUrl = settings.baseUrl;
  let baseUrl: string;
  if (envUrl !== undefined) baseUrl = checkedBaseUrl(envUrl, 'KINOVI_BASE_URL');
  else if (dotenvUrl !== undefined) {
    baseUrl = checkedBaseUrl(dotenvUrl, `KINOVI_BASE_URL in ${dotenvPathFor(manifestFile)}`);
  } else if (manifestUrl !== undefined) {
    const where = `provider.baseUrl in ${manifestFile}`;
    baseUrl = checkedBaseUrl(manifestUrl, where);
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
    pollIntervalMs: settings.pollInterval ?? KINOVI_DEFAULT_POLL_INTERVAL_MS,
    timeoutMs: settings.timeout ?? KINOVI_DEFAULT_TIMEOUT_MS,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
