/**
 * Milliseconds a `Retry-After` header asks to wait: delta-seconds or an HTTP date.
 * Undefined when absent or unreadable, so the caller falls back to its own backoff.
 */
export function retryAfter(header: string | null, nowMs: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
