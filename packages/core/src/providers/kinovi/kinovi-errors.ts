import { STATUS_CODES } from 'node:http';
import { PixlockError } from '../../errors.js';
import { isRecord } from '../../util/is-record.js';
import { numberOf } from '../../util/number-of.js';
import { retryAfter } from '../../http/retry-after.js';
import { howToSetKey } from './kinovi-key.js';

/** Which API call an answer belongs to, for messages and for the rules that differ. */
export interface CallLabel {
  /** The image id (every message starts with it). */
  imageId: string;
  endpoint: 'createTask' | 'recordInfo' | 'uploads';
  /** Known for polls. */
  taskId?: string;
}

/** An API answer that was not a success: status, headers, and the (unwrapped) JSON body. */
export interface FailedAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/**
 * Turns a non-success answer into the PixlockError the engine branches on. The body was
 * already scrubbed of the key, so everything copied from it is safe to print.
 */
export function answerError(label: CallLabel, answer: FailedAnswer, nowMs: number): PixlockError {
  const { status, body } = answer;
  const id = label.imageId;
  const text = `${status} ${serverMessage(body, status)}`;
  const details = { status, ...body };
  switch (true) {
    case status === 401:
      return new PixlockError(
        'PROVIDER_AUTH',
        `${id}: kinovi refused the API key (${text}); ${howToSetKey()}`,
        { details },
      );
    case status === 403:
      return new PixlockError(
        'PROVIDER_AUTH',
        `${id}: kinovi denied access (${text}); enable API access for this key's account on kinovi, or ${howToSetKey()}`,
        { details },
      );
    case status === 402: {
      const required = numberOf(body.required);
      const available = numberOf(body.available);
      return new PixlockError(
        'PROVIDER_CREDITS',
        `${id}: not enough kinovi credits: ${required ?? '?'} required, ${available ?? '?'} available (${text})`,
        { details: { ...details, required, available } },
      );
    }
    case status === 404 && label.endpoint === 'recordInfo':
      return new PixlockError(
        'PROVIDER_TASK_LOST',
        `${id}: kinovi does not know task ${label.taskId ?? '?'} (${text})`,
        { details: { ...details, taskId: label.taskId } },
      );
    case status === 429: {
      const retryAfterMs = retryAfter(answer.headers.get('retry-after'), nowMs);
      const limits = ['limit', 'current']
        .filter((k) => body[k] !== undefined)
        .map((k) => `${k} ${String(body[k])}`);
      const extra = limits.length > 0 ? `, ${limits.join(', ')}` : '';
      return new PixlockError('PROVIDER_RATE_LIMITED', `${id}: kinovi is busy (${text}${extra})`, {
        details,
        ...(retryAfterMs !== undefined && { retryAfterMs }),
      });
    }
    case status >= 500 || status === 408:
      return new PixlockError('PROVIDER_UNAVAILABLE', `${id}: kinovi ${label.endpoint}: ${text}`, {
        details,
      });
    default: {
      // 400 and every other 4xx: this image's own request is wrong; retrying cannot help.
      const errors = Array.isArray(body.errors) ? body.errors : undefined;
      const hint =
        status === 404 ? ' (is provider.baseUrl / KINOVI_BASE_URL right?)' : formatErrors(errors);
      return new PixlockError(
        'PROVIDER_BAD_REQUEST',
        `${id}: kinovi rejected ${label.endpoint} (${text})${hint}`,
        { details: { ...details, ...(errors && { errors }) } },
      );
    }
  }
}

/** The server's own words: `message`, else `error` (string or `{message}`), else the status text. */
export function serverMessage(body: Record<string, unknown>, status: number): string {
  if (typeof body.message === 'string' && body.message) return body.message;
  if (typeof body.error === 'string' && body.error) return body.error;
  if (isRecord(body.error) && typeof body.error.message === 'string') return body.error.message;
  return STATUS_CODES[status] ?? 'error';
}

function formatErrors(errors: unknown[] | undefined): string {
  if (!errors || errors.length === 0) return '';
  const lines = errors.map((e) =>
    isRecord(e) && typeof e.message === 'string'
      ? typeof e.field === 'string'
        ? `${e.field}: ${e.message}`
        : e.message
      : JSON.stringify(e),
  );
  return `: ${lines.join('; ')}`;
}
