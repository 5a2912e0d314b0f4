import type { S3Operation } from './s3-faults.js';

/**
 * What reached the proxy, counted as requests arrive (read fields directly; spread for a
 * snapshot). The server's side of the story, to hold against a client's own counts.
 */
export interface ProxyStats {
  /** Requests by operation, faulted or not. */
  requests: Record<S3Operation, number>;
  /** Requests that suffered a scripted fault. */
  faults: number;
  /** Requests being answered right now. */
  inFlight: number;
  /** The most requests ever answered at once. */
  peakInFlight: number;
}

/** Fresh counters, all zero. */
export function createProxyStats(): ProxyStats {
  return {
    requests: { head: 0, get: 0, put: 0, delete: 0, list: 0, other: 0 },
    faults: 0,
    inFlight: 0,
    peakInFlight: 0,
  };
}

/** Every request the proxy saw. */
export function totalRequests(stats: ProxyStats): number {
  return Object.values(stats.requests).reduce((a, b) => a + b, 0);
}
