// Errors raised before the request left this machine: nothing reached the server.
const UNSENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** `ECONNRESET`, `UND_ERR_SOCKET`, … from a fetch error or its causes. */
export function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = e.cause;
  }
  return undefined;
}

/**
 * True when a failed fetch surely never reached the server, so even a request that must not
 * run twice (a paid create) may be sent again.
 */
export function neverSent(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && UNSENT.has(code);
}

/**
 * A short reason for a failed fetch, e.g. `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9`.
 * Uses the innermost message, since fetch's own is just "fetch failed".
 */
export function describeNetworkError(error: unknown, timeoutMs?: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return timeoutMs === undefined ? 'timed out' : `no answer within ${timeoutMs} ms`;
  }
  let message = String(error);
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; depth++) {
    message = e.message || message;
    e = e.cause;
  }
  const code = errorCode(error);
  return code ? `${code}: ${message}` : message;
}
