import type { BatchStore } from './batch-store.js';
import type { FaultDecider, Fate } from './fault-decider.js';
import type { FileStore } from './file-store.js';
import type { GenerateInput } from './generate-request.js';
import type { FakeGeminiOptions } from './options.js';
import type { FakeGeminiStats } from './stats.js';

/** One request the model processed, as {@link FakeGemini.generations} lists it. */
export interface FakeGeneration extends GenerateInput {
  /** `interactive` for generateContent, `batch` for a request inside a batch. */
  mode: 'interactive' | 'batch';
  /** The batch's name and the request's index in it (batch mode only). */
  batch?: string;
  index?: number;
  /** The request's `key` (file input) or `metadata` (inline input), as sent. */
  key?: string;
  metadata?: Record<string, unknown>;
  /** Index of the API key (in `apiKeys`) that asked; the key itself is never kept. */
  account: number;
  fate: Fate;
  /** True when an image was sent and billed. */
  billed: boolean;
  /** USD billed (0 when not billed). */
  usd: number;
}

/** What the route handlers share. */
export interface ServerContext {
  options(): FakeGeminiOptions;
  readonly stats: FakeGeminiStats;
  readonly decider: FaultDecider;
  readonly batches: BatchStore;
  readonly files: FileStore;
  /** Every processed request, in processing order. */
  readonly generations: FakeGeneration[];
  /** generateContent calls in progress per account. */
  readonly inFlight: Map<number, number>;
  /** `http://127.0.0.1:<port>`: where upload URLs and file URIs point. */
  origin(): string;
  /** A number unique to each charge: paints unseeded images apart, as the real model's differ. */
  nextCall(): number;
  /** Waits `ms`; ends early once the server closes, so no wait outlives it. */
  sleep(ms: number): Promise<void>;
}
