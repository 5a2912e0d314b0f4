import type { HttpDeps } from '../../http/http-deps.js';
import { DEFAULT_RETRY } from '../../http/with-retries.js';
import type { GeminiConfig } from './gemini-config.js';
import type { GeminiHttpSettings } from './gemini-http.js';
import type { ReferenceBytes } from './gemini-request.js';
import { urlReferences } from './url-reference.js';

/** What both modes share: the config, the key (in `http`, never on the client object shown), deps. */
export interface GeminiClient {
  config: GeminiConfig;
  http: GeminiHttpSettings;
  deps: HttpDeps;
  /** `<root>/<version>/<path>`. */
  url(path: string): string;
  /** `<root>/upload/<version>/<path>`. */
  uploadUrl(path: string): string;
  /** A URL reference's bytes, fetched once per client. */
  fetchUrl(url: string, imageId: string, signal: AbortSignal): Promise<ReferenceBytes>;
  /** Milliseconds a call other than generateContent may take. */
  requestTimeoutMs: number;
  /** Milliseconds an upload, a responses file or a URL reference may take. */
  transferTimeoutMs: number;
}

/** A URL reference is at most this large (Vertex AI takes 7 MB per inline image). */
export const MAX_URL_REFERENCE_BYTES = 20 * 1024 * 1024;

/** Builds the shared part of a client. */
export function geminiClient(config: GeminiConfig, deps: HttpDeps): GeminiClient {
  const retry = { ...DEFAULT_RETRY, ...config.retry };
  const requestTimeoutMs = config.requestTimeoutMs ?? 60_000;
  const transferTimeoutMs = config.transferTimeoutMs ?? 600_000;
  const root = config.root.replace(/\/+$/, '');
  return {
    config,
    http: { apiKey: config.apiKey, retry },
    deps,
    url: (path) => `${root}/${config.apiVersion}/${path}`,
    uploadUrl: (path) => `${root}/upload/${config.apiVersion}/${path}`,
    fetchUrl: urlReferences({
      deps,
      retry,
      maxBytes: MAX_URL_REFERENCE_BYTES,
      timeoutMs: transferTimeoutMs,
    }),
    requestTimeoutMs,
    transferTimeoutMs,
  };
}
