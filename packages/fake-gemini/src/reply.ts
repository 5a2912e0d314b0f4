import { STATUS_CODES } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * An answer computed before anything is written, so a scripted fault can replace or wrap it
 * and every answer is counted in one place.
 */
export interface Reply {
  status: number;
  /** A JSON answer. */
  json?: unknown;
  /** Bytes sent as they are (a file, an HTML page, a scripted body). */
  bytes?: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
  /** `truncate`: full Content-Length, half the body, socket destroyed; `drop`: no answer at all. */
  kind?: 'truncate' | 'drop';
  /** True when a fault (random or scripted) shaped this answer. */
  fault?: boolean;
  /** Send the body at this many bytes per second after the headers (a trickling server). */
  trickleBytesPerSecond?: number;
}

/** A JSON answer. */
export function jsonReply(status: number, json: unknown, headers?: Record<string, string>): Reply {
  return headers ? { status, json, headers } : { status, json };
}

/** The page a gateway or load balancer shows instead of the API's JSON. */
export function htmlReply(status: number, answerStatus = status): Reply {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  const page =
    `<!DOCTYPE html>\n<html><head><title>${title}</title></head>` +
    `<body><h1>${title}</h1><p>The server encountered a temporary error.</p></body></html>\n`;
  return {
    status: answerStatus,
    bytes: Buffer.from(page),
    contentType: 'text/html; charset=UTF-8',
    fault: true,
  };
}

/** A JSON answer cut in the middle, as a proxy that gave up sends it. */
export function malformedReply(): Reply {
  return {
    status: 200,
    bytes: Buffer.from('{"name":"batches/x","metadata":{"state":"BATCH_STA'),
    contentType: 'application/json; charset=UTF-8',
    fault: true,
  };
}

/** Writes a reply; `rewriteJson` changes the final JSON text (key echoes). */
export function writeReply(
  res: ServerResponse,
  reply: Reply,
  rewriteJson?: (text: string) => string,
): void {
  if (reply.kind === 'drop') {
    res.socket?.destroy();
    return;
  }
  let bytes = reply.bytes ?? Buffer.alloc(0);
  let contentType = reply.contentType ?? 'application/octet-stream';
  if (reply.json !== undefined) {
    const text = JSON.stringify(reply.json);
    bytes = Buffer.from(rewriteJson ? rewriteJson(text) : text);
    contentType = 'application/json; charset=UTF-8';
  }
  res.writeHead(reply.status, {
    'content-type': contentType,
    'content-length': String(bytes.length),
    ...reply.headers,
  });
  if (reply.kind === 'truncate') {
    // Destroy only once the half is handed to the kernel, or it may never leave: a reset
    // instead of the truncation the test asked for.
    res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.destroy());
  } else if (reply.trickleBytesPerSecond) {
    trickle(res, bytes, reply.trickleBytesPerSecond);
  } else {
    res.end(bytes);
  }
}

/**
 * Sends `body` a few bytes at a time: headers at once, then `bytesPerSecond` (at least one byte
 * per tick, a tick every 10..1000 ms). Stops when the client goes away or the server closes.
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
