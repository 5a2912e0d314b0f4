import { isLoopbackHost } from '../http/key-destination.js';
import { parseStoreUrl } from '../manifest/store-url.js';

/** The `store:` block of a manifest, as far as connecting goes. */
export interface StoreConfig {
  /** `s3://<bucket>/<prefix>`. */
  url: string;
  /**
   * An S3-compatible endpoint (R2, MinIO, B2, GCS…). Used only when it is AWS's own
   * (`*.amazonaws.com`) or the environment names the same: a manifest arrives in pull
   * requests and must not send credentials to a host of its choosing.
   */
  endpoint?: string;
  /** The bucket's region, when the environment sets none (default `us-east-1`). */
  region?: string;
}

/** The environment variables read (a plain record, so tests pass their own). */
export type StoreEnvironment = Readonly<Record<string, string | undefined>>;

/** Everything needed to connect; build it with {@link resolveStoreSettings}. */
export interface StoreSettings {
  /** Canonical `s3://bucket/prefix`: how messages name the store. */
  url: string;
  bucket: string;
  /** `''` or ending in `/`. */
  prefix: string;
  /** Origin and path of a custom endpoint, no trailing slash; undefined for AWS by region. */
  endpoint?: string;
  /** Which setting chose the endpoint. */
  endpointFrom: 'AWS_ENDPOINT_URL_S3' | 'AWS_ENDPOINT_URL' | 'manifest' | 'aws';
  region: string;
  /** Path-style addressing (`https://host/bucket/key`): what s3rver, MinIO and R2 expect. */
  forcePathStyle: boolean;
}

/**
 * Why no settings could be made. `source` says whom to blame: the manifest (report it at the
 * line of `store.<field>`) or an environment variable (`variable`).
 */
export interface StoreSettingsProblem {
  source: 'manifest' | 'environment';
  /** For the manifest: the field of the store block, e.g. `['endpoint']`. */
  path: string[];
  /** For the environment: the variable at fault. */
  variable?: string;
  message: string;
}

/** Settings, or the one problem that prevents them. */
export type StoreSettingsResult =
  { ok: true; settings: StoreSettings } | { ok: false; problem: StoreSettingsProblem };

/** Region when neither the environment nor the manifest names one. */
export const DEFAULT_STORE_REGION = 'us-east-1';
const REGION = /^[a-z0-9-]{1,40}$/;
const ENDPOINT_VARIABLES = ['AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL'] as const;

/**
 * Resolves how to reach the store from the manifest's `store` block and the environment; a
 * pure function (no I/O), so the manifest layer can report a problem at its line.
 *
 * Credentials are not settings: the client takes them from the AWS SDK's standard chain
 * (`AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`, `AWS_PROFILE`, web
 * identity as GitHub Actions OIDC sets it), never from the manifest.
 *
 * The endpoint follows the kinovi `baseUrl` rule: `AWS_ENDPOINT_URL_S3`, else
 * `AWS_ENDPOINT_URL` (the SDK's standard names, unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`
 * is `true`), else the manifest's `endpoint` only when it is AWS's own over https, else AWS by
 * region. Any endpoint must be https, or plain http to loopback.
 */
export function resolveStoreSettings(
  config: StoreConfig,
  env: StoreEnvironment,
): StoreSettingsResult {
  const fail = (problem: StoreSettingsProblem): StoreSettingsResult => ({ ok: false, problem });
  const location = parseStoreUrl(config.url);
  if ('problem' in location) {
    return fail({ source: 'manifest', path: ['url'], message: location.problem });
  }

  let endpoint: string | undefined;
  let endpointFrom: StoreSettings['endpointFrom'] = 'aws';
  const ignoreEnv = nonEmpty(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS)?.toLowerCase() === 'true';
  const variable = ignoreEnv ? undefined : ENDPOINT_VARIABLES.find((n) => nonEmpty(env[n]));
  if (variable !== undefined) {
    const checked = checkEndpoint(nonEmpty(env[variable])!, variable);
    if ('problem' in checked) {
      return fail({ source: 'environment', path: [], variable, message: checked.problem });
    }
    endpoint = checked.endpoint;
    endpointFrom = variable;
  } else if (config.endpoint !== undefined) {
    const checked = checkEndpoint(config.endpoint, 'store.endpoint');
    if ('problem' in checked) {
      return fail({ source: 'manifest', path: ['endpoint'], message: checked.problem });
    }
    if (!isAwsEndpoint(new URL(checked.endpoint))) {
      return fail({
        source: 'manifest',
        path: ['endpoint'],
        message:
          `store.endpoint would send your storage credentials to ${new URL(checked.endpoint).origin}, ` +
          `which is not AWS's own (*.amazonaws.com); a committed manifest may not choose where ` +
          `credentials go. To use that service, set AWS_ENDPOINT_URL_S3=${checked.endpoint} ` +
          `in your environment (a CI secret or variable)`,
      });
    }
    endpoint = checked.endpoint;
    endpointFrom = 'manifest';
  }

  const fromEnv = nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION);
  const region = fromEnv ?? config.region ?? DEFAULT_STORE_REGION;
  if (!REGION.test(region)) {
    const message = `region ${JSON.stringify(region)} is not a region name (e.g. us-east-1, auto)`;
    return fromEnv === undefined
      ? fail({ source: 'manifest', path: ['region'], message })
      : fail({
          source: 'environment',
          path: [],
          variable: nonEmpty(env.AWS_REGION) ? 'AWS_REGION' : 'AWS_DEFAULT_REGION',
          message,
        });
  }
  return {
    ok: true,
    settings: {
      url: location.url,
      bucket: location.bucket,
      prefix: location.prefix,
      ...(endpoint !== undefined && { endpoint }),
      endpointFrom,
      region,
      forcePathStyle: endpoint !== undefined && !isAwsEndpoint(new URL(endpoint)),
    },
  };
}

/** True for an https endpoint of AWS itself: `*.amazonaws.com` (and China's `.com.cn`). */
export function isAwsEndpoint(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  return (
    url.protocol === 'https:' &&
    (host.endsWith('.amazonaws.com') || host.endsWith('.amazonaws.com.cn'))
  );
}

function checkEndpoint(value: string, source: string): { endpoint: string } | { problem: string } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { problem: `${source} is not a URL` };
  }
  if (url.username || url.password) {
    return { problem: `${source} must not carry a user name or password` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { problem: `${source} must be an https URL, not ${url.protocol}` };
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return {
      problem:
        `${source}: plain http to ${url.host} would send signed requests unencrypted; ` +
        'use https (plain http is allowed only to localhost / 127.0.0.1 / ::1)',
    };
  }
  if (url.search || url.hash) return { problem: `${source} must not have a query or fragment` };
  return { endpoint: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
