import type { LimitFunction } from 'p-limit';
import type { S3Calls } from './s3-calls.js';
import type { StoreSettings } from './store-settings.js';
import type { RetryContext } from './with-retries.js';

/** What every store operation shares: one client, one limit, one retry policy. */
export interface StoreContext {
  settings: StoreSettings;
  calls: S3Calls;
  retry: RetryContext;
  /** Bounds the transfers (and existence HEADs) in flight at once. */
  limit: LimitFunction;
  /** Milliseconds for a request's answer to start (and for a small request to finish). */
  requestTimeoutMs: number;
  /** Slowest acceptable body rate: a transfer of n bytes gets requestTimeoutMs + n/rate. */
  minBytesPerSecond: number;
  /** Larger objects are refused before their body is read. */
  maxObjectBytes: number;
  /** Up to this many keys of one kind are asked by HEAD; more, by listing. */
  headThreshold: number;
  /** Cleared when the store answers 501 to `If-None-Match` (some S3-compatible services). */
  conditionalPuts: boolean;
}

/** Milliseconds a transfer of `bytes` may take before it counts as stalled. */
export function transferTimeoutMs(ctx: StoreContext, bytes: number): number {
  return ctx.requestTimeoutMs + Math.ceil((bytes / ctx.minBytesPerSecond) * 1000);
}

/** The full object key of a path below the prefix. */
export function objectKey(ctx: StoreContext, path: string): string {
  return ctx.settings.prefix + path;
}

/** The fields of an error context every operation repeats. */
export function errorContext(ctx: StoreContext, operation: string, object?: string) {
  return {
    storeUrl: ctx.settings.url,
    ...(ctx.settings.endpoint !== undefined && { endpoint: ctx.settings.endpoint }),
    operation,
    ...(object !== undefined && { object }),
  };
}
