import { PixlockError } from '../../errors.js';
import type {
  GeminiMode,
  ResolvedGeminiSettings,
} from '../../manifest/providers/gemini-settings.js';
import { apiKeyProblem } from '../../http/api-key-problem.js';
import { checkedBaseUrl } from '../../http/checked-base-url.js';
import type { RetryPolicy } from '../../http/with-retries.js';
import { dotenvPathFor, type ProviderEnvironment } from '../provider-environment.js';
import { GEMINI_KEY_VARIABLES, missingGeminiKey, unsendableGeminiKey } from './gemini-key.js';

/** Google's endpoint: the root the API version is appended to. */
export const GEMINI_DEFAULT_ROOT = 'https://generativelanguage.googleapis.com';
/**
 * The API version pixlock speaks unless GOOGLE_GENAI_API_VERSION says `v1`: the REST
 * reference and every guide document Batch mode and the Files API under v1beta, and only the
 * newest SDK (3.x) defaults to v1 (docs/gemini-api.md, "Endpoints and auth").
 */
export const GEMINI_DEFAULT_API_VERSION = 'v1beta';
/** Batch mode: polls of a batch job, and how long one may take before a run stops waiting. */
export const GEMINI_BATCH_POLL_INTERVAL_MS = 30_000;
export const GEMINI_BATCH_TIMEOUT_MS = 25 * 3_600_000;
/** Interactive mode: how long one generateContent call may take (a 4K image takes minutes). */
export const GEMINI_CALL_TIMEOUT_MS = 300_000;

/** Everything the gemini client needs; build it with {@link resolveGeminiConfig}. */
export interface GeminiConfig {
  /** Sent only as `x-goog-api-key` to `root`; never printed. */
  apiKey: string;
  /** e.g. `https://generativelanguage.googleapis.com`, without a trailing slash. */
  root: string;
  apiVersion: 'v1beta' | 'v1';
  mode: GeminiMode;
  /** Batch: milliseconds between polls of a batch job. */
  pollIntervalMs: number;
  /** Interactive: one call; batch: from submit to collected. */
  timeoutMs: number;
  /** Retries of what was surely not charged (default: DEFAULT_RETRY of with-retries.ts). */
  retry?: Partial<RetryPolicy>;
  /** Milliseconds one call other than generateContent may take (default 60 s). */
  requestTimeoutMs?: number;
  /** Milliseconds an upload, a responses file or a URL reference may take (default 10 min). */
  transferTimeoutMs?: number;
  /** Batch: a batch job is submitted once no create joined it for this long (default 250 ms). */
  gatherMs?: number;
  /** Batch: ... or this long after its first create joined (default 3 s). */
  maxGatherMs?: number;
}

/** What {@link resolveGeminiConfig} reads. */
export interface GeminiSetup {
  settings: Omit<ResolvedGeminiSettings, 'name' | 'model'>;
  manifestFile: string;
  env: ProviderEnvironment;
  /** The `.env` beside the manifest, parsed; undefined when there is none. */
  dotenv?: ProviderEnvironment | undefined;
}

/**
 * Resolves the gemini settings. The key is read as the official SDK reads it,
 * `GOOGLE_API_KEY`, else `GEMINI_API_KEY`, from the environment, else from the `.env` beside
 * the manifest; never from the manifest. The root URL is `GOOGLE_GEMINI_BASE_URL` (the
 * environment, or the `.env` only when the key comes from that same `.env`), else the
 * manifest's `provider.baseUrl` (Google's own origin only: a manifest arrives in pull
 * requests and may not choose where the key goes), else Google's endpoint. The API version
 * (`GOOGLE_GENAI_API_VERSION`, as SDK 3.x reads it) is appended to the root.
 * @throws PixlockError PROVIDER_AUTH when no key is set; USAGE for a key that cannot be sent
 * or an endpoint or version it may not use.
 */
export function resolveGeminiConfig(setup: GeminiSetup): GeminiConfig {
  const { settings, manifestFile, env } = setup;
  const fromEnv = (name: string) => nonEmpty(env[name]);
  const fromDotenv = (name: string) => nonEmpty(setup.dotenv?.[name]);
  const envKey = firstOf(fromEnv);
  const found = envKey ?? firstOf(fromDotenv);
  if (found === undefined) throw missingGeminiKey(manifestFile);
  const problem = apiKeyProblem(found.value);
  if (problem !== undefined) throw unsendableGeminiKey(found.variable, problem, manifestFile);

  const dotenvOwns = envKey === undefined;
  const dotenvWhere = `in ${dotenvPathFor(manifestFile)}`;
  const envRoot = fromEnv('GOOGLE_GEMINI_BASE_URL');
  const dotenvRoot = dotenvOwns ? fromDotenv('GOOGLE_GEMINI_BASE_URL') : undefined;
  let root: string;
  if (envRoot !== undefined) root = checkedRoot(envRoot, 'GOOGLE_GEMINI_BASE_URL');
  else if (dotenvRoot !== undefined) {
    root = checkedRoot(dotenvRoot, `GOOGLE_GEMINI_BASE_URL ${dotenvWhere}`);
  } else if (settings.baseUrl !== undefined) {
    const where = `provider.baseUrl in ${manifestFile}`;
    root = checkedRoot(settings.baseUrl, where);
    const origin = new URL(root).origin;
    if (origin !== GEMINI_DEFAULT_ROOT) {
      throw new PixlockError(
        'USAGE',
        `${where} sends the API key to ${origin}, which is not Google's ` +
          `(${GEMINI_DEFAULT_ROOT}); a committed manifest may not choose where the key goes. ` +
          `To use that server, set GOOGLE_GEMINI_BASE_URL=${root} in your environment`,
        { details: { retryable: false, mayHaveCharged: false } },
      );
    }
  } else root = GEMINI_DEFAULT_ROOT;

  const version =
    fromEnv('GOOGLE_GENAI_API_VERSION') ??
    (dotenvOwns ? fromDotenv('GOOGLE_GENAI_API_VERSION') : undefined);
  return {
    apiKey: found.value,
    root,
    apiVersion: apiVersion(version),
    mode: settings.mode,
    pollIntervalMs: settings.pollInterval ?? GEMINI_BATCH_POLL_INTERVAL_MS,
    timeoutMs:
      settings.timeout ??
      (settings.mode === 'batch' ? GEMINI_BATCH_TIMEOUT_MS : GEMINI_CALL_TIMEOUT_MS),
  };
}

function firstOf(
  read: (name: string) => string | undefined,
): { variable: string; value: string } | undefined {
  for (const variable of GEMINI_KEY_VARIABLES) {
    const value = read(variable);
    if (value !== undefined) return { variable, value };
  }
  return undefined;
}

/** The root without a trailing slash; a root carrying the version already is refused. */
function checkedRoot(value: string, source: string): string {
  const root = checkedBaseUrl(value, source);
  const url = new URL(root);
  if (url.search || url.hash) {
    throw new PixlockError('USAGE', `${source} must be a root URL without ? or #, got "${value}"`);
  }
  if (/\/v1(beta)?$/.test(url.pathname)) {
    throw new PixlockError(
      'USAGE',
      `${source} is the root URL the API version is appended to: leave "${url.pathname.replace(/.*\//, '/')}" out (got "${value}")`,
    );
  }
  return root;
}

/** `beta` and `v1beta` (as SDK 3.x reads the variable) or `v1`; unset: v1beta. */
function apiVersion(value: string | undefined): 'v1beta' | 'v1' {
  if (value === undefined || value === 'beta' || value === 'v1beta') return 'v1beta';
  if (value === 'v1') return 'v1';
  throw new PixlockError(
    'USAGE',
    `GOOGLE_GENAI_API_VERSION must be v1beta (the default) or v1, got "${value.slice(0, 40)}"`,
  );
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
