import { STATUS_CODES } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultRoute, ScriptedFault } from './faults.js';

/**
 * An answer computed before anything is written, so a scripted fault can replace it (or, with
 * `afterProcessing`, wrap it) and every answer is counted in one place.
 */
export interface Reply {
  status: number;
  /** A JSON answer; wrapped as `{code, message, data}` when the envelope option is on. */
  json?: unknown;
  /** Bytes sent as they are (a file, an HTML page, a scripted body). */
  bytes?: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
  /** `truncate`: full Content-Length, half the body, socket destroyed; `drop`: no answer at all. */
  kind?: 'truncate' | 'drop';
  /** True when a random fault shaped this answer (counted as a fault in stats). */
  fault?: boolean;
  /** Send the body at this many bytes per second after the headers (a trickling server). */
  trickleBytesPerSecond?: number;
}

/** How {@link writeReply} sends a reply. */
export interface WriteOptions {
  /** Wrap JSON answers as `{code, message, data}`. */
  envelope: boolean;
  /** A HEAD request: headers only. */
  head?: boolean;
  /** Rewrites the JSON text before it is sent (key echoes, bare numeric ids). */
  rewriteJson?: (text: string) => string;
}

/** A JSON answer. */
export function jsonReply(status: number, json: unknown, headers?: Record<string, string>): Reply {
  return headers ? { status, json, headers } : { status, json };
}

/** The kind of page a CDN or gateway shows instead of the expected bytes. */
export function htmlPage(status: number): Buffer {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  return Buffer.from(
    `<!DOCTYPE html>\n<html><head><title>${title}</title></head>` +
      `<body><h1>${title}</h1><p>The server encountered a temporary error.</p></body></html>\n`,
  );
}

/** Turns a scripted fault into the reply it stands for; `natural` is the real answer, if any. */
export function scriptedReply(fault: ScriptedFault, route: FaultRoute, natural?: Reply): Reply {
  const headers = { ...fault.headers };
  if (fault.kind === 'drop') return { status: 0, kind: 'drop', fault: true };
  if (fault.kind === 'malformed') return malformedJson(fault.status ?? 200);
  if (fault.kind === 'html') {
    const status = fault.status ?? (route === 'download' ? 200 : 502);
    const bytes =
      typeof fault.body === 'string'
        ? Buffer.from(fault.body)
        : htmlPage(status >= 400 ? status : 502);
    return { status, bytes, contentType: 'text/html; charset=utf-8', headers, fault: true };
  }
  const status = fault.status ?? (fault.kind === 'truncate' ? (natural?.status ?? 200) : 500);
  const base: Reply =
    fault.body !== undefined
      ? { status, ...encodeBody(fault.body), headers }
      : fault.kind === 'truncate' && natural
        ? { ...natural, status, headers: { ...natural.headers, ...headers } }
        : { status, json: { message: defaultMessage(status) }, headers };
  return fault.kind === 'truncate'
    ? { ...base, kind: 'truncate', fault: true }
    : { ...base, fault: true };
}

/** A JSON answer cut in the middle, as a proxy that gave up would send it. */
export function malformedJson(status = 200): Reply {
  return {
    status,
    bytes: Buffer.from('{"taskId":"task_0","status":"succ'),
    contentType: 'application/json; charset=utf-8',
    fault: true,
  };
}

function encodeBody(body: unknown): Pick<Reply, 'bytes' | 'contentType'> {
  if (Buffer.isBuffer(body)) return { bytes: body, contentType: 'application/octet-stream' };
  if (typeof body === 'string') return { bytes: Buffer.from(body), contentType: 'text/plain' };
  return { bytes: Buffer.from(JSON.stringify(body)), contentType: 'application/json' };
}

function defaultMessage(status: number): string {
  if (status === 429) return 'Rate limit exceeded';
  if (status >= 500) return 'Internal error';
  return STATUS_CODES[status] ?? 'Error';
}

/** Writes a reply; `envelope` wraps JSON answers the way the provider's webhooks are wrapped. */
export function writeReply(res: ServerResponse, reply: Reply, options: WriteOptions): void {
  if (reply.kind === 'drop') {
    res.socket?.destroy();
    return;
  }
  let bytes = reply.bytes;
  let contentType = reply.contentType ?? 'application/octet-stream';
  if (reply.json !== undefined) {
    const text = JSON.stringify(options.envelope ? wrap(reply.status, reply.json) : reply.json);
    bytes = Buffer.from(options.rewriteJson ? options.rewriteJson(text) : text);
    contentType = 'application/json; charset=utf-8';
  }
  const body = bytes ?? Buffer.alloc(0);
  res.writeHead(reply.status, {
    'content-type': contentType,
    'content-length': String(body.length),
    ...reply.headers,
  });
  if (options.head) {
    res.end();
  } else if (reply.kind === 'truncate') {
    // The write callback fires once the partial body is handed to the kernel; destroying
    // earlier could discard it and turn a truncation into a plain connection reset.
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
  } else if (reply.trickleBytesPerSecond) {
    trickle(res, body, reply.trickleBytesPerSecond);
  } else {
    res.end(body);
  }
}

/**
 * Sends `body` a few bytes at a time: headers at once, then `bytesPerSecond` (at least one
 * byte per tick, a tick at most every 1000 ms and at least every 10 ms). Stops when the
 * client goes away or the server closes the socket.
 */
function trickle(res: ServerResponse, body: Buffer, bytesPerSecond: number): void {
  const tickMs = Math.min(1000, Math.max(10, 1000 / bytesPerSecond));
  const perTick = Math.max(1, Math.round((bytesPerSecond * tickMs) / 1000));
  res.flushHeaders();
  let sent = 0;
  const timer = setInterval(() => {
    if (res.destroyed) return clearInterval(timer);
    const chunk = body.subarray(sent, sent + perTick);
    sent += chunk.length;
    if (sent >= body.length) {
      clearInterval(timer);
      res.end(chunk);
    } else {
      res.write(chunk);
    }
  }, tickMs);
  res.once('close', () => clearInterval(timer));
}

/** Successes become `{code: 200, message: 'success', data}`; errors keep `message` on top. */
function wrap(status: number, json: unknown): unknown {
  if (status < 400) return { code: status, message: 'success', data: json };
  const { message, ...rest } = (json ?? {}) as Record<string, unknown>;
  return { code: status, message, data: Object.keys(rest).length > 0 ? rest : null };
}

/** Reads a request body; undefined when it exceeds `limit` bytes (still drained, so we can answer). */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  return size > limit ? undefined : Buffer.concat(chunks);
}
