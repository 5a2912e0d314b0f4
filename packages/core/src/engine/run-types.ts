import type { ErrorCode } from '../errors.js';
import type { Currency } from '../pricing/currency.js';
import type { PlanAction } from '../plan/plan.js';

/** How one image ended in a run. */
export type ImageOutcome =
  | 'created'
  | 'regenerated'
  | 'resumed'
  | 'reprocessed'
  | 'restored'
  /** Outputs moved to a new outDir (or made again there from the kept original). */
  | 'moved'
  | 'unchanged'
  | 'failed'
  | 'skipped'
  | 'interrupted'
  /** Its task was created (or is still running) at the provider: a later run collects it (`--no-wait`). */
  | 'submitted';

/** Why an image was skipped rather than failed. */
export type SkipReason =
  | 'budget'
  | 'frozen'
  | 'stopped'
  | 'unconfirmed'
  /** An image this one waits on (a reference) failed or was skipped. */
  | 'reference-failed';

/** An object the lock names that could not be pushed to the store (kept locally). */
export interface UnpushedObject {
  /** As the store names it: `s3://bucket/prefix/originals/<sha256>.png`. */
  object: string;
  /** The image it belongs to, when known. */
  id?: string;
  code: ErrorCode | 'UNKNOWN';
  message: string;
}

/** One image's result. */
export interface ImageResult {
  id: string;
  action: PlanAction;
  outcome: ImageOutcome;
  /** What the provider reported for this image in this run, in its unit. */
  credits: number;
  taskId?: string;
  skipReason?: SkipReason;
  error?: { code: ErrorCode | 'UNKNOWN'; message: string; details?: Record<string, unknown> };
  /** Recorded, but these of its objects are not in the store yet: the next run pushes them. */
  unpushed?: UnpushedObject[];
}

/** What a run did. */
export interface RunResult {
  results: ImageResult[];
  counts: Record<ImageOutcome, number>;
  /** What the provider reported (creditsUsed), summed, in the plan's `currency`. */
  credits: number;
  usd: number;
  /** The unit of `credits` when it is not kinovi credits (the plan's). */
  currency?: Currency;
  /** The signal aborted the run before everything was done. */
  interrupted: boolean;
  /**
   * A provider error that stopped the run (auth) or its new tasks (credits, or a provider
   * charging more than its list price against a budget).
   */
  stoppedBy?: { code: ErrorCode; message: string };
  /**
   * Objects the lock names that are not in the store (`store:`) and could not be pushed: the
   * images' own and those an earlier run left. Kept locally; the next run pushes them first.
   */
  unpushed?: UnpushedObject[];
}

/** Progress, for the adapters' bars and logs. */
export type EngineEvent =
  | {
      type: 'run-start';
      total: number;
      providerWork: number;
      /** The unit of `credits` in the events that follow, when not kinovi credits. */
      currency?: Currency;
    }
  | { type: 'image-start'; id: string; action: PlanAction }
  | { type: 'task-created'; id: string; taskId: string }
  | { type: 'task-resumed'; id: string; taskId: string }
  /** The provider's task is done: its result is being downloaded, then processed. */
  | { type: 'image-stage'; id: string; stage: 'downloading' | 'processing' }
  | { type: 'rate-limited'; id: string; retryInMs: number; target: number }
  | { type: 'retry'; id: string; what: string; attempt: number; message: string }
  | { type: 'overcharged'; id: string; listed: number; charged: number }
  | { type: 'image-end'; result: ImageResult }
  | { type: 'run-end'; result: RunResult };
