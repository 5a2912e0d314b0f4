import { PixlockError } from '../../errors.js';
import { startDeadline } from '../../util/deadline.js';
import { apiKeyProblem } from '../../http/api-key-problem.js';
import type { HttpDeps } from '../../http/http-deps.js';
import { describeNetworkError, neverSent } from '../../http/network-error.js';
import { readText } from '../../http/read-text.js';
import { scrub } from '../../http/server-text.js';
import { withRetries, type Attempt, type RetryPolicy } from '../../http/with-retries.js';
import { geminiAnswerError, type GeminiCallLabel } from './gemini-errors.js';
import { unsendableGeminiKey } from './gemini-key.js';
import { answerSnippet, readAnswer, type ReadAnswer } from './read-answer.js';

/** One call to the Gemini API, on the configured root only. */
export interface GeminiCall extends GeminiCallLabel {
  method: 'GET' | 'POST';
  url: string;
  /** Sent as it is (JSON text, or the bytes of an upload). */
  body?: string | Uint8Array;
  headers?: Record<string, string>;
  /**
   * The call may create something that is charged (a generateContent, a batch): an answer
   * lost after it was sent is PROVIDER_CREATE_UNCONFIRMED and never retried, a 429 goes back
   * to the caller, and an abort does not cut off a request already on its way.
   */
  paid: boolean;
  signal: AbortSignal;
  /** Larger answers are refused (an image answer is tens of MB, a poll a few KB). */
  maxAnswerBytes: number;
  /** Headers to last byte. */
  timeoutMs: number;
}

/** A successful answer: its status, headers and JSON (redacted; images taken out). */
export interface GeminiAnswer extends ReadAnswer {
  status: number;
  headers: Headers;
}

/** What every call shares. */
export interface GeminiHttpSettings {
  apiKey: string;
  retry: RetryPolicy;
}

/**
 * Calls the API with the key in `x-goog-api-key` (never in the URL, which ends up in logs),
 * never following a redirect, on a deadline of the injected clock over headers and body.
 * What surely was not charged is retried with capped, jittered backoff: a connection never
 * made, a 5xx answer but 504, 408; and, for calls that create nothing, a lost answer and 429
 * (waiting as RetryInfo says). What may have been charged is not: a paid call whose answer
 * was lost, cut off or unreadable, or a 504, is PROVIDER_CREATE_UNCONFIRMED.
 */
export async function callGemini(
  call: GeminiCall,
  settings: GeminiHttpSettings,
  deps: HttpDeps,
): Promise<GeminiAnswer> {
  return withRetries(() => attemptOnce(call, settings, deps), settings.retry, deps, call.signal);
}

async function attemptOnce(
  call: GeminiCall,
  settings: GeminiHttpSettings,
  deps: HttpDeps,
): Promise<Attempt<GeminiAnswer>> {
  call.signal.throwIfAborted();
  const keyProblem = apiKeyProblem(settings.apiKey);
  if (keyProblem !== undefined) {
    return { error: unsendableGeminiKey('the Gemini API key', keyProblem), retry: false };
  }
  const deadline = startDeadline(deps.clock, call.timeoutMs, call.paid ? undefined : call.signal);
  let status: number;
  let headers: Headers;
  let text: string;
  try {
    const res = await deps.fetch(call.url, {
      method: call.method,
      headers: {
        'x-goog-api-key': settings.apiKey,
        accept: 'application/json',
        ...(typeof call.body === 'string' && { 'content-type': 'application/json' }),
        ...call.headers,
      },
      ...(call.body !== undefined && { body: call.body }),
      redirect: 'manual',
      signal: deadline.signal,
    });
    ({ status, headers } = res);
    text = await readText(res, call.maxAnswerBytes);
  } catch (error) {
    if (!call.paid) call.signal.throwIfAborted();
    return networkFailure(call, error, settings, deadline.expired);
  } finally {
    deadline.cancel();
  }
  const id = call.imageId;
  if (status >= 300 && status < 400) {
    const to = scrub(headers.get('location') ?? 'nowhere', settings.apiKey);
    return {
      error: new PixlockError(
        'PROVIDER_BAD_REQUEST',
        `${id}: gemini ${call.what} answered ${status}, a redirect to ${to}, which is not followed so the API key goes to the API root only; is GOOGLE_GEMINI_BASE_URL right?`,
        { details: { status } },
      ),
      retry: false,
    };
  }
  // An empty body is an answer of its own for a start of an upload or a cancel; for a paid
  // call it is an answer cut short, whose outcome is unknown.
  const answer =
    text.trim() === '' && !call.paid
      ? { body: {}, blobs: [], nonce: '' }
      : readAnswer(text, settings.apiKey);
  if (status >= 200 && status < 300) {
    if (answer !== undefined) return { value: { status, headers, ...answer } };
    const what = `gemini ${call.what} answered ${status} with no JSON object (${answerSnippet(text, settings.apiKey) || 'an empty body'})`;
    if (call.paid) return { error: unconfirmed(id, what), retry: false };
    return { error: new PixlockError('PROVIDER_UNAVAILABLE', `${id}: ${what}`), retry: true };
  }
  if (status === 504 && call.paid) {
    return {
      error: unconfirmed(id, `gemini ${call.what} answered 504 (deadline exceeded)`),
      retry: false,
    };
  }
  const body = answer?.body ?? { error: { message: answerSnippet(text, settings.apiKey) } };
  const error = geminiAnswerError(call, status, body, headers, deps.clock.now().getTime());
  if (status === 429) {
    // A create's 429 goes back to the engine, which lowers its concurrency and tries again.
    const waitMs = error.extra.retryAfterMs;
    return { error, retry: !call.paid, ...(waitMs !== undefined && { waitMs }) };
  }
  return { error, retry: status >= 500 || status === 408 };
}

function networkFailure(
  call: GeminiCall,
  error: unknown,
  settings: GeminiHttpSettings,
  expired: boolean,
): Attempt<GeminiAnswer> {
  const reason = scrub(
    describeNetworkError(error, expired ? call.timeoutMs : undefined),
    settings.apiKey,
  );
  if (call.paid && !neverSent(error)) {
    const what = `the answer to ${call.what} was lost (${reason})`;
    return { error: unconfirmed(call.imageId, what, error), retry: false };
  }
  return {
    error: new PixlockError(
      'PROVIDER_UNAVAILABLE',
      `${call.imageId}: cannot reach gemini ${call.what} (${reason})`,
      { cause: error },
    ),
    retry: true,
  };
}

/**
 * A paid call that reached Google but whose answer says nothing usable: it may have been
 * processed and charged, so it is not sent again without the user's say.
 */
export function unconfirmed(id: string, what: string, cause?: unknown): PixlockError {
  return new PixlockError(
    'PROVIDER_CREATE_UNCONFIRMED',
    `${id}: ${what}; Google may have made and charged it, so it was not sent again`,
    { ...(cause !== undefined && { cause }) },
  );
}
