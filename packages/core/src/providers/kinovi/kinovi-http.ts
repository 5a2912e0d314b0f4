import { PixlockError } from '../../errors.js';
import type { RetryPolicy } from './kinovi-config.js';
import { answerError, retryAfter, type CallLabel } from './kinovi-errors.js';
import { describeNetworkError, neverSent } from './network-error.js';
import { envelopeStatus, unwrapEnvelope } from './parse-task.js';

/** Side effects of the client, injectable so tests run fast and deterministic. */
export interface KinoviDeps {
  fetch: typeof fetch;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** Uniform in [0, 1), for backoff jitter. */
  random(): number;
  /** Epoch ms, for `Retry-After` dates. */
  now(): number;
}

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

/** Past this, a 429 on a poll goes back to the caller rather than holding a slot this long. */
const MAX_INTERNAL_WAIT_MS = 60_000;

type Attempt =
  { payload: Record<string, unknown> } | { error: PixlockError; retry: boolean; waitMs?: number };

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
  deps: KinoviDeps,
): Promise<Record<string, unknown>> {
  const { attempts } = settings.retry;
  for (let attempt = 1; ; attempt++) {
    const outcome = await attemptOnce(request, settings, deps);
    if ('payload' in outcome) return outcome.payload;
    const { error, retry } = outcome;
    const wait = outcome.waitMs ?? fullJitter(attempt - 1, settings.retry, deps.random);
    if (!retry || attempt >= attempts || wait > MAX_INTERNAL_WAIT_MS) {
      if (!retry || attempt === 1) throw error;
      throw new PixlockError(error.code, `${error.message} (after ${attempt} attempts)`, {
        ...error.extra,
      });
    }
    await deps.sleep(wait, request.signal);
  }
}

/** Exponential backoff with full jitter: uniform in [0, min(cap, base·2^attempt)]. */
export function fullJitter(attempt: number, policy: RetryPolicy, random: () => number): number {
  return Math.round(random() * Math.min(policy.capMs, policy.baseMs * 2 ** attempt));
}

/** Replaces every occurrence of the key, so a server echoing it cannot leak it into a report. */
export function scrub(text: string, secret: string): string {
  return secret ? text.split(secret).join('[redacted]') : text;
}

async function attemptOnce(
  request: ApiRequest,
  settings: HttpSettings,
  deps: KinoviDeps,
): Promise<Attempt> {
  request.signal.throwIfAborted();
  // A create already on its way is not cut off by an abort (a Ctrl-C): it may be taken and
  // charged, so its answer is awaited (up to the timeout) for the caller to record. The abort
  // still stops any further attempt and every backoff.
  const timeout = AbortSignal.timeout(settings.requestTimeoutMs);
  const signal =
    request.endpoint === 'createTask' ? timeout : AbortSignal.any([request.signal, timeout]);
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
      signal,
    });
    ({ status, headers } = res);
    text = await res.text();
  } catch (error) {
    if (request.endpoint !== 'createTask') request.signal.throwIfAborted();
    return networkFailure(request, error, settings.requestTimeoutMs);
  }
  const raw = parseJson(scrub(text, settings.apiKey));
  const effective = envelopeStatus(raw, status);
  const payload = unwrapEnvelope(raw);
  if (effective >= 200 && effective < 300) {
    if (raw !== undefined) return { payload };
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
  const error = answerError(request, { status: effective, headers, body: payload }, deps.now());
  const waitMs = error.extra.retryAfterMs ?? retryAfter(headers.get('retry-after'), deps.now());
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

function networkFailure(request: ApiRequest, error: unknown, timeoutMs: number): Attempt {
  const reason = describeNetworkError(error, timeoutMs);
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

function parseJson(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
