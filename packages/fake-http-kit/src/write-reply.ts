import type { ServerResponse } from 'node:http';
import type { Reply } from './reply.js';

/** How {@link writeReply} sends a reply's JSON and whether it sends a body. */
export interface WriteOptions {
  /** A HEAD request: headers only. */
  head?: boolean;
  /** Wraps the JSON value before it is serialised (an envelope such as `{code, message, data}`). */
  wrapJson?: (status: number, json: unknown) => unknown;
  /** Rewrites the JSON text before it is sent (key echoes, bare numeric ids). */
  rewriteJson?: ((text: string) => string) | undefined;
  /** Content type of JSON answers. Default `application/json; charset=utf-8`. */
  jsonContentType?: string;
}

/**
 * Writes a reply with its transport fault: `drop` destroys the socket unanswered, `truncate`
 * announces the full length and sends half, a trickle rate sends the body slowly.
 */
export function writeReply(res: ServerResponse, reply: Reply, options: WriteOptions = {}): void {
  if (reply.kind === 'drop') {
    res.socket?.destroy();
    return;
  }
  let body = reply.bytes ?? Buffer.alloc(0);
  let contentType = reply.contentType ?? 'application/octet-stream';
  if (reply.json !== undefined) {
    const json = options.wrapJson ? options.wrapJson(reply.status, reply.json) : reply.json;
    const text = JSON.stringify(json);
    body = Buffer.from(options.rewriteJson ? options.rewriteJson(text) : text);
    contentType = options.jsonContentType ?? 'application/json; charset=utf-8';
  }
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
