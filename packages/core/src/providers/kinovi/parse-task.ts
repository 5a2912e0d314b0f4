import { PixlockError } from '../../errors.js';
import { isRecord } from '../../util/is-record.js';
import { numberOf } from '../../util/number-of.js';
import type { TaskOutput, TaskStatus } from '../image-provider.js';

/**
 * The most credits one task may report. List prices are 15 and 25; a server may charge
 * more (the engine's budget sees it), but a figure past this is a lie or a bug, not a price,
 * and is refused before it can reach the lock or the budget.
 */
export const MAX_CREDITS_PER_TASK = 1000;

// Task ids travel in a query string and are stored in the lock: printable ASCII, bounded.
const TASK_ID = /^[\x21-\x7e]{1,256}$/;

/**
 * The payload of an answer: `data` when it is wrapped as `{code, message, data}` (the
 * provider's webhooks are), the answer itself otherwise. A wrapped error keeps its top-level
 * `message` beside whatever `data` holds (`required`, `available`, `errors`, …).
 */
export function unwrapEnvelope(body: unknown): Record<string, unknown> {
  if (!isRecord(body)) return {};
  if (!isEnvelope(body)) return body;
  const data = isRecord(body.data) ? body.data : {};
  return typeof body.message === 'string' && data.message === undefined
    ? { ...data, message: body.message }
    : data;
}

/** An HTTP 200 whose envelope carries an error code (some gateways do that) counts as that code. */
export function envelopeStatus(body: unknown, httpStatus: number): number {
  if (!isRecord(body) || !isEnvelope(body)) return httpStatus;
  const code = numberOf(body.code);
  return code !== undefined && code >= 400 && code < 600 ? code : httpStatus;
}

function isEnvelope(body: Record<string, unknown>): boolean {
  return 'data' in body && 'code' in body;
}

/**
 * The id in a createTask answer: `taskId`, else `task_id`, exactly as sent. A string id is
 * kept as it is; a numeric one as its digits (parse-answer.ts keeps integers past 2^53 as
 * digits, so none is rounded). Undefined when absent or unusable: not printable ASCII, over
 * 256 characters, a fraction or a negative number.
 */
export function parseTaskId(payload: Record<string, unknown>): string | undefined {
  for (const value of [payload.taskId, payload.task_id]) {
    const id =
      typeof value === 'string'
        ? value
        : Number.isSafeInteger(value) && (value as number) >= 0
          ? String(value)
          : undefined;
    if (id !== undefined && TASK_ID.test(id) && !/^-/.test(id)) return id;
  }
  return undefined;
}

/**
 * `creditsUsed` of a finished task, checked: a finite number in 0..{@link
 * MAX_CREDITS_PER_TASK}. Absent (or null), the list price is assumed, so a server that stays
 * silent cannot make a run look free against its budget.
 * @throws PixlockError PROVIDER_PROTOCOL for a negative, non-finite, non-numeric or absurd value.
 */
export function parseCreditsUsed(value: unknown, imageCredits: number): number {
  if (value === undefined || value === null) return imageCredits;
  const n = numberOf(value);
  if (n === undefined || n < 0 || n > MAX_CREDITS_PER_TASK) {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value);
    throw new PixlockError(
      'PROVIDER_PROTOCOL',
      `kinovi reported creditsUsed ${shown}, which is not a credit amount (0 to ` +
        `${MAX_CREDITS_PER_TASK}); the answer is not trusted`,
      { details: { creditsUsed: shown, retryable: false, mayHaveCharged: true } },
    );
  }
  return n;
}

const SUCCESS = new Set(['success', 'succeeded', 'completed', 'complete', 'done']);
const FAILED = new Set(['fail', 'failed', 'failure', 'error', 'cancelled', 'canceled']);

/**
 * Reads a recordInfo payload (already unwrapped). The status is `status`, else `state`; every
 * state that is neither a success nor a failure (waiting, generating, queued, …) is pending,
 * so a new intermediate state does not break polling. Undefined for a malformed answer rather
 * than a state: no status at all, or a success that lists no output.
 */
export function parseTaskStatus(
  payload: Record<string, unknown>,
  imageCredits: number,
): TaskStatus | undefined {
  const raw = payload.status ?? payload.state;
  if (typeof raw !== 'string' || raw === '') return undefined;
  const state = raw.toLowerCase();
  if (FAILED.has(state)) return { state: 'failed', ...failure(payload.error) };
  if (!SUCCESS.has(state)) return { state: 'pending' };
  const output = parseOutput(payload.output);
  // Done and paid for, but nothing to download (yet): a fault to poll through, not a failure,
  // which would drop the recorded task and make the next run pay again.
  if (!output) return undefined;
  const durationMs = taskDuration(payload.createTime, payload.completeTime);
  return {
    state: 'success',
    output,
    creditsUsed: parseCreditsUsed(payload.creditsUsed, imageCredits),
    ...(durationMs !== undefined && { durationMs }),
  };
}

/** Longest duration taken from the server's timestamps: past it they are not believed. */
const MAX_TASK_DURATION_MS = 24 * 3600_000;

/**
 * `completeTime - createTime` (epoch ms, as the seed page shows them), when both are numbers
 * and the difference is a plausible duration. Only poll timing rests on it.
 */
export function taskDuration(createTime: unknown, completeTime: unknown): number | undefined {
  const created = numberOf(createTime);
  const completed = numberOf(completeTime);
  if (created === undefined || completed === undefined) return undefined;
  const ms = completed - created;
  return Number.isFinite(ms) && ms >= 0 && ms <= MAX_TASK_DURATION_MS ? ms : undefined;
}

/** `error` is null, a string (older pages) or `{code, message}` (current pages). */
function failure(error: unknown): { message: string; code?: string } {
  if (typeof error === 'string' && error !== '') return { message: error };
  if (isRecord(error)) {
    const message = typeof error.message === 'string' && error.message ? error.message : undefined;
    const code =
      typeof error.code === 'string' || typeof error.code === 'number'
        ? String(error.code)
        : undefined;
    return {
      message: message ?? (code !== undefined ? `error ${code}` : 'no reason given'),
      ...(code !== undefined && { code }),
    };
  }
  return { message: 'no reason given' };
}

/**
 * The first output item; also accepts a bare item or a bare URL.
 * @throws PixlockError PROVIDER_PROTOCOL when the URL is not http(s).
 */
function parseOutput(output: unknown): TaskOutput | undefined {
  const item: unknown = Array.isArray(output) ? output[0] : output;
  if (typeof item === 'string' && item !== '') return { url: httpUrl(item) };
  if (!isRecord(item) || typeof item.url !== 'string' || item.url === '') return undefined;
  const width = numberOf(item.width);
  const height = numberOf(item.height);
  return {
    url: httpUrl(item.url),
    ...(typeof item.mediaType === 'string' && item.mediaType && { mediaType: item.mediaType }),
    ...(width !== undefined && { width }),
    ...(height !== undefined && { height }),
  };
}

function httpUrl(text: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url?.protocol === 'http:' || url?.protocol === 'https:') return text;
  throw new PixlockError(
    'PROVIDER_PROTOCOL',
    `kinovi reported an output URL that is not http(s): ${JSON.stringify(text.slice(0, 100))}`,
    { details: { retryable: false, mayHaveCharged: true } },
  );
}
