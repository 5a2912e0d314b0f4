import type { IncomingMessage } from 'node:http';

/** The S3 operations the proxy tells apart (what pixlock's store sends). */
export type S3Operation = 'head' | 'get' | 'put' | 'delete' | 'list' | 'other';

/** Which operation a request is, from its method and query alone (path-style addressing). */
export function operationOf(req: Pick<IncomingMessage, 'method' | 'url'>): S3Operation {
  const url = new URL(req.url ?? '/', 'http://fake');
  const segments = url.pathname.split('/').filter((s) => s !== '');
  const onObject = segments.length >= 2;
  switch (req.method) {
    case 'HEAD':
      return onObject ? 'head' : 'other';
    case 'GET':
      if (!onObject) return url.searchParams.get('list-type') === '2' ? 'list' : 'other';
      return 'get';
    case 'PUT':
      return onObject ? 'put' : 'other';
    case 'DELETE':
      return onObject ? 'delete' : 'other';
    default:
      return 'other';
  }
}

/**
 * One scripted misbehaviour of the proxy, used by the next request(s) it matches, in the order
 * queued. With neither `status` nor `kind`, only `delayMs` applies.
 */
export interface S3Fault {
  /** Which operation it hits (default any). */
  op?: S3Operation | 'any';
  /** Only requests whose path contains this text (an object key, say). */
  keyIncludes?: string;
  /** How many matching requests it hits (default 1). */
  times?: number;
  /**
   * Answer with this HTTP status and an S3 error body instead of forwarding (the request never
   * reaches the server): 500 InternalError, 503 SlowDown, 403 AccessDenied, …
   */
  status?: number;
  /** The `<Code>` of that error body (default by status: SlowDown for 503, InternalError…). */
  code?: string;
  /** The `<Message>` of that error body: a hostile server may echo anything here. */
  message?: string;
  /**
   * Transport misbehaviour:
   * `reset` drops the connection before any answer (the request never reaches the server);
   * `reset-after` lets the server handle the request, then drops the connection instead of
   * answering (a PUT that landed, its answer lost);
   * `cut-body` forwards the answer's headers and half its body, then drops the connection;
   * `corrupt` flips one byte in the middle of the body, same length (bit rot in transit);
   * `trickle` sends the body at `bytesPerSecond`;
   * `echo-auth` answers 403 with the request's signing headers echoed in the body, raw and
   * base64 (a hostile or debugging server).
   */
  kind?: 'reset' | 'reset-after' | 'cut-body' | 'corrupt' | 'trickle' | 'echo-auth';
  /** For `trickle` (default 2,000). */
  bytesPerSecond?: number;
  /** Hold the answer this long before sending it. */
  delayMs?: number;
}

/** The queue of scripted faults; a request takes the first one it matches. */
export class FaultQueue {
  private readonly queue: (S3Fault & { left: number })[] = [];

  /** Queues a fault. */
  add(fault: S3Fault): void {
    const times = fault.times ?? 1;
    if (!(Number.isInteger(times) && times > 0)) {
      throw new TypeError(`fault.times must be a positive integer, got ${fault.times}`);
    }
    this.queue.push({ ...fault, left: times });
  }

  /** The fault this request suffers, if any (used up once its `times` run out). */
  take(op: S3Operation, path: string): S3Fault | undefined {
    const index = this.queue.findIndex(
      (f) =>
        (f.op === undefined || f.op === 'any' || f.op === op) &&
        (f.keyIncludes === undefined || path.includes(f.keyIncludes)),
    );
    if (index === -1) return undefined;
    const fault = this.queue[index]!;
    fault.left -= 1;
    if (fault.left === 0) this.queue.splice(index, 1);
    return fault;
  }

  /** Faults queued and not yet used up. */
  get pending(): number {
    return this.queue.length;
  }

  /** Drops every queued fault. */
  clear(): void {
    this.queue.length = 0;
  }
}

const DEFAULT_CODES: Record<number, string> = {
  400: 'InvalidRequest',
  403: 'AccessDenied',
  404: 'NoSuchKey',
  409: 'ConditionalRequestConflict',
  412: 'PreconditionFailed',
  500: 'InternalError',
  501: 'NotImplemented',
  503: 'SlowDown',
};

/** The XML error body S3 sends, for a scripted status. */
export function errorBody(status: number, code?: string, message?: string): string {
  const c = code ?? DEFAULT_CODES[status] ?? 'InternalError';
  const m = message ?? `scripted ${status} ${c}`;
  const escape = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escape(c)}</Code>` +
    `<Message>${escape(m)}</Message><RequestId>FAKE</RequestId></Error>`
  );
}
