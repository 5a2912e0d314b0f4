import { PixlockError } from '../../errors.js';
import { startDeadline } from '../../util/deadline.js';
import { apiKeyProblem } from '../../http/api-key-problem.js';
import type { HttpDeps } from '../../http/http-deps.js';
import { describeNetworkError, neverSent } from '../../http/network-error.js';
import { parseAnswer } from '../../http/parse-answer.js';
import { readText } from '../../http/read-text.js';
import { retryAfter } from '../../http/retry-after.js';
import { scrub } from '../../http/server-text.js';
import { withRetries, type Attempt, type RetryPolicy } from '../../http/with-retries.js';
import { answerError, type CallLabel } from './kinovi-errors.js';
import { unsendableKey } from './kinovi-key.js';
import { envelopeStatus, unwrapEnvelope } from './parse-task.js';

/** One call to the jobs API. */
export interface ApiRequest extends CallLabel {
  method: 'GET' | 'POST';
  url: string;
  /** Sent as JSON. */
  body?: unknown;
  signal: AbortSignal;
}

/** What every API call shares. */
export interface HttpSettings {
  apiKey: string;
  retry: RetryPolicy;
  requestTimeoutMs: number;
}

/** The API answers a few hundred bytes; anything this large is not an answer worth reading. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

type Payload = Record<string, unknown>;

/**
 * Calls the API and returns the answer's payload (envelope unwrapped). 5xx answers and network
 * failures are retried with exponential backoff and full jitter, and so is a 429 on a poll.
 * A 429 on a create is not: the engine lowers its concurrency and retries it. Nor is a create
 * whose answer was lost after it was sent, since the task may exist and be charged already.
 * An aborted `signal` stops further attempts and backoffs, rejecting with its reason unwrapped;
 * a create already sent is not cut off, and its answer is returned (it may name a paid task).
 */
export async function callKinovi(
  request: ApiRequest,
  settings: HttpSettings,
  deps: HttpDeps,
): Promise<Payload> {
  return withRetries(
    () => attemptOnce(request, settings, deps),
    settings.retry,
    deps,
    request.signal,
  );
}

async function attemptOnce(
  request: ApiRequest,
  settings: HttpSettings,
  deps: HttpDeps,
): Promise<Attempt<Payload>> {
  request.signal.throwIfAborted();
  // Checked again here (the config does it first): fetch would throw on such a header and the
  // create would read as "sent, answer lost, may have charged" although nothing left.
  const keyProblem = apiKeyProblem(settings.apiKey);
  if (keyProblem !== undefined) return { error: unsendableKey(keyProblem), retry: false };
  // A create already on its way is not cut off by an abort (a Ctrl-C): it may be taken and
  // charged, so its answer is awaited (up to the timeout) for the caller to record. The abort
  // still stops any further attempt and every backoff.
  const deadline = startDeadline(
    deps.clock,
    settings.requestTimeoutMs,
    request.endpoint === 'createTask' ? undefined : request.signal,
  );
  let status: number;
  let headers: Headers;
  let text: string;
  try {
    const res = await deps.fetch(request.url, {
      method: request.method,
      headers: {
        authorization: `Bearer ${settings.apiKey}`,
        accept: 'application/json',
        ...(request.body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
      // A redirect is not followed: the key goes to baseUrl and nowhere else.
      redirect: 'manual',
      signal: deadline.signal,
    });
    ({ status, headers } = res);
    text = await readText(res, MAX_ANSWER_BYTES);
  } catch (error) {
    if (request.endpoint !== 'createTask') request.signal.throwIfAborted();
    return networkFailure(request, error, settings);
  } finally {
    deadline.cancel();
  }
  if (status >= 300 && status < 400) {
    const to = scrub(headers.get('location') ?? 'nowhere', settings.apiKey);
    const error = new PixlockError(
      'PROVIDER_BAD_REQUEST',
      `${request.imageId}: kinovi ${request.endpoint} answered ${status}, a redirect to ${to}, ` +
        'which is not followed so the API key goes to baseUrl only; is provider.baseUrl / ' +
        'KINOVI_BASE_URL right?',
      { details: { status } },
    );
    return { error, retry: false };
  }
  const raw = parseAnswer(text, settings.apiKey);
  const effective = envelopeStatus(raw, status);
  const payload = unwrapEnvelope(raw);
  if (effective >= 200 && effective < 300) {
    if (raw !== undefined) return { value: payload };
    // A proxy's page with a 200. A poll can simply ask again; a create may have been taken.
    const what = `kinovi ${request.endpoint} answered ${status} without JSON`;
    if (request.endpoint === 'createTask')
      return { error: unconfirmedCreate(request.imageId, what), retry: false };
    return {
      error: new PixlockError('PROVIDER_UNAVAILABLE', `${request.imageId}: ${what}`),
      retry: true,
    };
  }
  // A gateway timeout on a create may hide a task the API did accept.
  if (effective === 504 && request.endpoint === 'createTask') {
    const what = `kinovi createTask answered ${status} (gateway timeout)`;
    return { error: unconfirmedCreate(request.imageId, what), retry: false };
  }
  const now = deps.clock.now().getTime();
  const error = answerError(request, { status: effective, headers, body: payload }, now);
  const waitMs = error.extra.retryAfterMs ?? retryAfter(headers.get('retry-after'), now);
  return {
    error,
    retry: retryable(effective, request.endpoint),
    ...(waitMs !== undefined && { waitMs }),
  };
}

function retryable(status: number, endpoint: ApiRequest['endpoint']): boolean {
  if (status === 429) return endpoint === 'recordInfo';
  return status >= 500 || status === 408;
}

function networkFailure(
  request: ApiRequest,
  error: unknown,
  settings: HttpSettings,
): Attempt<Payload> {
  const reason = scrub(describeNetworkError(error, settings.requestTimeoutMs), settings.apiKey);
  const id = request.imageId;
  if (request.endpoint === 'createTask' && !neverSent(error)) {
    const what = `the answer to createTask was lost (${reason})`;
    return { error: unconfirmedCreate(id, what, { cause: error }), retry: false };
  }
  const message = `${id}: cannot reach kinovi ${request.endpoint} (${reason})`;
  return {
    error: new PixlockError('PROVIDER_UNAVAILABLE', message, { cause: error }),
    retry: true,
  };
}

/**
 * A create that reached kinovi but whose answer says nothing usable: the task may exist and be
 * charged, so it is neither retried here nor, by the engine, on a later run without consent.
 */
export function unconfirmedCreate(
  id: string,
  what: string,
  extra: { cause?: unknown; details?: Record<string, unknown> } = {},
): PixlockError {
  return new PixlockError(
    'PROVIDER_CREATE_UNCONFIRMED',
    `${id}: ${what}; kinovi may have created and charged the task, so it was not sent again`,
    extra,
  );
}
