import { backoff } from '../../engine/backoff.js';
import { PixlockError } from '../../errors.js';
import type { RetryPolicy } from './kinovi-config.js';
import { apiKeyProblem, unsendableKey } from './api-key.js';
import { startDeadline } from './deadline.js';
import { answerError, retryAfter, type CallLabel } from './kinovi-errors.js';
import { describeNetworkError, neverSent } from './network-error.js';
import { parseAnswer } from './parse-answer.js';
import { envelopeStatus, unwrapEnvelope } from './parse-task.js';
import { redactSecret } from './redact-secret.js';
import { cleanServerText } from './server-text.js';

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
/** The API answers a few hundred bytes; anything this large is not an answer worth reading. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

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
    const wait =
      outcome.waitMs ??
      backoff(attempt - 1, settings.retry.baseMs, settings.retry.capMs, deps.random);
    if (!retry || attempt >= attempts || wait > MAX_INTERNAL_WAIT_MS) {
      if (!retry || attempt === 1) throw error;
      throw new PixlockError(error.code, `${error.message} (after ${attempt} attempts)`, {
        ...error.extra,
      });
    }
    await deps.sleep(wait, request.signal);
  }
}

/**
 * Replaces every occurrence of the key (raw, JSON-escaped, URL-encoded, …: see
 * redact-secret.ts) and neutralises control characters, so text that came from the network
 * is safe to print.
 */
export function scrub(text: string, secret: string): string {
  return cleanServerText(redactSecret(text, secret));
}

async function attemptOnce(
  request: ApiRequest,
  settings: HttpSettings,
  deps: KinoviDeps,
): Promise<Attempt> {
  request.signal.throwIfAborted();
  // Checked again here (the config does it first): fetch would throw on such a header and the
  // create would read as "sent, answer lost, may have charged" although nothing left.
  const keyProblem = apiKeyProblem(settings.apiKey);
  if (keyProblem !== undefined) return { error: unsendableKey(keyProblem), retry: false };
  // A create already on its way is not cut off by an abort (a Ctrl-C): it may be taken and
  // charged, so its answer is awaited (up to the timeout) for the caller to record. The abort
  // still stops any further attempt and every backoff.
  const deadline = startDeadline(
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
    deadline.clear();
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

function networkFailure(request: ApiRequest, error: unknown, settings: HttpSettings): Attempt {
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

/** The body as text, refused past `maxBytes` (a hostile or broken server can send gigabytes). */
async function readText(res: Response, maxBytes: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks).toString('utf8');
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new Error(`answer larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
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
