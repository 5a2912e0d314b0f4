import type { TaskOutput, TaskStatus } from '../image-provider.js';

/** A plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A finite number, or a numeric string read as one; undefined otherwise. */
export function numberOf(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

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

/** The id in a createTask answer: `taskId`, else `task_id`. */
export function parseTaskId(payload: Record<string, unknown>): string | undefined {
  for (const value of [payload.taskId, payload.task_id]) {
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number') return String(value);
  }
  return undefined;
}

const SUCCESS = new Set(['success', 'succeeded', 'completed', 'complete', 'done']);
const FAILED = new Set(['fail', 'failed', 'failure', 'error', 'cancelled', 'canceled']);

/**
 * Reads a recordInfo payload (already unwrapped). The status is `status`, else `state`; every
 * state that is neither a success nor a failure (waiting, generating, queued, …) is pending,
 * so a new intermediate state does not break polling. Undefined when there is no status at
 * all, which is a malformed answer rather than a state.
 */
export function parseTaskStatus(payload: Record<string, unknown>): TaskStatus | undefined {
  const raw = payload.status ?? payload.state;
  if (typeof raw !== 'string' || raw === '') return undefined;
  const state = raw.toLowerCase();
  if (FAILED.has(state)) return { state: 'failed', ...failure(payload.error) };
  if (!SUCCESS.has(state)) return { state: 'pending' };
  const output = parseOutput(payload.output);
  if (!output) return { state: 'failed', message: `kinovi reported ${raw} but listed no output` };
  return { state: 'success', output, creditsUsed: numberOf(payload.creditsUsed) ?? 0 };
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

/** The first output item; also accepts a bare item or a bare URL. */
function parseOutput(output: unknown): TaskOutput | undefined {
  const item: unknown = Array.isArray(output) ? output[0] : output;
  if (typeof item === 'string' && item !== '') return { url: item };
  if (!isRecord(item) || typeof item.url !== 'string' || item.url === '') return undefined;
  const width = numberOf(item.width);
  const height = numberOf(item.height);
  return {
    url: item.url,
    ...(typeof item.mediaType === 'string' && item.mediaType && { mediaType: item.mediaType }),
    ...(width !== undefined && { width }),
    ...(height !== undefined && { height }),
  };
}
