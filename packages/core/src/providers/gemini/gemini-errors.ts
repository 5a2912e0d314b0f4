import { STATUS_CODES } from 'node:http';
import { PixlockError, type ErrorCode } from '../../errors.js';
import { isRecord } from '../../util/is-record.js';
import { retryAfter } from '../../http/retry-after.js';
import { howToSetGeminiKey } from './gemini-key.js';

/** Which call an answer belongs to, for messages and for what a 404 means. */
export interface GeminiCallLabel {
  /** The image (or task key) the call is for: every message starts with it. */
  imageId: string;
  /** e.g. `generateContent`, `batches.get`. */
  what: string;
  /** What a 404 means for this call (default PROVIDER_BAD_REQUEST: a model or path unknown). */
  notFound?: ErrorCode;
}

/**
 * Turns an error answer (Google's envelope `{error: {code, message, status, details}}`,
 * already redacted and cleaned) into the PixlockError the engine branches on: a refused key
 * stops the run (PROVIDER_AUTH, with how to set one), 429 RESOURCE_EXHAUSTED waits as told
 * (PROVIDER_RATE_LIMITED with the RetryInfo delay), 5xx is a fault to retry, and other 4xx
 * fail the image with Google's words.
 */
export function geminiAnswerError(
  label: GeminiCallLabel,
  status: number,
  body: Record<string, unknown>,
  headers: Headers,
  nowMs: number,
): PixlockError {
  const error = isRecord(body.error) ? body.error : {};
  const message = typeof error.message === 'string' && error.message ? error.message : undefined;
  const name = typeof error.status === 'string' ? error.status : STATUS_CODES[status];
  const details = Array.isArray(error.details) ? error.details.filter(isRecord) : [];
  const text = `${status} ${name ?? 'error'}${message ? `: ${message}` : ''}`;
  const extra = { details: { status, ...(name && { googleStatus: name }) } };
  const id = label.imageId;
  const badKey =
    details.some((d) => d.reason === 'API_KEY_INVALID') ||
    /API key (not valid|not found|expired)/i.test(message ?? '');
  if (status === 401 || (status === 400 && badKey)) {
    return new PixlockError(
      'PROVIDER_AUTH',
      `${id}: Google refused the API key (${text}); ${howToSetGeminiKey()}`,
      extra,
    );
  }
  if (status === 403) {
    return new PixlockError(
      'PROVIDER_AUTH',
      `${id}: Google denied access (${text}): the key's project may not use the Gemini API or this model; ${howToSetGeminiKey()}`,
      extra,
    );
  }
  if (status === 429) {
    const retryAfterMs =
      retryInfoMs(details) ??
      retryInMessageMs(message) ??
      retryAfter(headers.get('retry-after'), nowMs);
    return new PixlockError('PROVIDER_RATE_LIMITED', `${id}: Gemini quota reached (${text})`, {
      ...extra,
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    });
  }
  if (status >= 500 || status === 408) {
    return new PixlockError('PROVIDER_UNAVAILABLE', `${id}: gemini ${label.what}: ${text}`, extra);
  }
  if (status === 404) {
    const code = label.notFound ?? 'PROVIDER_BAD_REQUEST';
    const hint =
      code === 'PROVIDER_BAD_REQUEST'
        ? ' (is the model id right, and GOOGLE_GEMINI_BASE_URL the API root?)'
        : '';
    return new PixlockError(code, `${id}: gemini ${label.what}: ${text}${hint}`, extra);
  }
  const violations = details
    .flatMap((d) => (Array.isArray(d.fieldViolations) ? d.fieldViolations.filter(isRecord) : []))
    .map((v) => `${String(v.field ?? '?')}: ${String(v.description ?? '')}`);
  const more = violations.length > 0 ? ` (${violations.join('; ')})` : '';
  return new PixlockError(
    'PROVIDER_BAD_REQUEST',
    `${id}: Gemini rejected ${label.what} (${text})${more}`,
    extra,
  );
}

/** A `google.rpc.RetryInfo` delay (`"54s"`, `"3.957525076s"`) in ms. */
function retryInfoMs(details: Record<string, unknown>[]): number | undefined {
  for (const d of details) {
    if (typeof d['@type'] !== 'string' || !d['@type'].endsWith('google.rpc.RetryInfo')) continue;
    const delay = d.retryDelay;
    if (typeof delay === 'string' && /^\d+(\.\d+)?s$/.test(delay)) {
      return Math.round(Number(delay.slice(0, -1)) * 1000);
    }
  }
  return undefined;
}

/** "Please retry in 27.37s", which some 429s say without a RetryInfo. */
function retryInMessageMs(message: string | undefined): number | undefined {
  const m = /retry in (\d+(?:\.\d+)?)\s*s/i.exec(message ?? '');
  return m ? Math.round(Number(m[1]) * 1000) : undefined;
}
