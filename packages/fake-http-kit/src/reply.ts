import { STATUS_CODES } from 'node:http';

/**
 * An answer computed before anything is written, so a scripted fault can replace it (or wrap
 * it) and every answer is counted in one place.
 */
export interface Reply {
  status: number;
  /** A JSON answer, serialised when written (see {@link WriteOptions}). */
  json?: unknown;
  /** Bytes sent as they are (a file, an HTML page, a scripted body). */
  bytes?: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
  /** `truncate`: full Content-Length, half the body, socket destroyed; `drop`: no answer at all. */
  kind?: 'truncate' | 'drop';
  /** True when a fault (random or scripted) shaped this answer (counted as a fault in stats). */
  fault?: boolean;
  /** Send the body at this many bytes per second after the headers (a trickling server). */
  trickleBytesPerSecond?: number;
}

/** A JSON answer. */
export function jsonReply(status: number, json: unknown, headers?: Record<string, string>): Reply {
  return headers ? { status, json, headers } : { status, json };
}

/** The kind of page a CDN, gateway or load balancer shows instead of the expected answer. */
export function htmlPage(status: number): Buffer {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  return Buffer.from(
    `<!DOCTYPE html>\n<html><head><title>${title}</title></head>` +
      `<body><h1>${title}</h1><p>The server encountered a temporary error.</p></body></html>\n`,
  );
}

/**
 * A scripted body as bytes: a Buffer as it is, a string as text, anything else as JSON with
 * `jsonContentType` (each fake's own spelling of it).
 */
export function encodeBody(
  body: unknown,
  jsonContentType: string,
): Pick<Reply, 'bytes' | 'contentType'> {
  if (Buffer.isBuffer(body)) return { bytes: body, contentType: 'application/octet-stream' };
  if (typeof body === 'string') return { bytes: Buffer.from(body), contentType: 'text/plain' };
  return { bytes: Buffer.from(JSON.stringify(body)), contentType: jsonContentType };
}
