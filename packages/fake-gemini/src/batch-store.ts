import { randomBytes } from 'node:crypto';
import type { BatchInput } from './batch-input.js';
import type { ModelSpec } from './models.js';

/** Batch states, as `metadata.state` names them. */
export type BatchState =
  | 'BATCH_STATE_PENDING'
  | 'BATCH_STATE_RUNNING'
  | 'BATCH_STATE_SUCCEEDED'
  | 'BATCH_STATE_FAILED'
  | 'BATCH_STATE_CANCELLED'
  | 'BATCH_STATE_EXPIRED';

/** How the next batch will behave, queued with {@link FakeGemini.injectBatchFate}. */
export interface BatchFate {
  /** The state it ends in (default: decided by the rates, usually SUCCEEDED). */
  end?: 'BATCH_STATE_SUCCEEDED' | 'BATCH_STATE_FAILED' | 'BATCH_STATE_EXPIRED';
  /** Indexes of requests that end with an `error` instead of a response. */
  failRequests?: number[];
  /** Answer its inline responses in a shuffled order. */
  shuffle?: boolean;
  /** Milliseconds it stays pending, then running (default: the options'). */
  queueMs?: number;
  runMs?: number;
}

/** What running a batch produced. */
export interface BatchOutcome {
  /** `metadata.output`: `{inlinedResponses: {inlinedResponses}}` or `{responsesFile}`. */
  output: Record<string, unknown>;
  succeeded: number;
  failed: number;
}

/** A batch the fake accepted. */
export interface BatchRecord {
  /** `batches/<id>`. */
  name: string;
  account: number;
  model: ModelSpec;
  input: BatchInput;
  fate: BatchFate;
  end: NonNullable<BatchFate['end']>;
  state: BatchState;
  createTime: string;
  updateTime: string;
  endTime?: string;
  outcome?: BatchOutcome;
  timer?: NodeJS.Timeout;
  deleted: boolean;
}

/** Runs a batch's requests when it leaves RUNNING (charging what it bills). */
export type BatchRunner = (record: BatchRecord) => Promise<BatchOutcome>;

const TERMINAL: readonly BatchState[] = [
  'BATCH_STATE_SUCCEEDED',
  'BATCH_STATE_FAILED',
  'BATCH_STATE_CANCELLED',
  'BATCH_STATE_EXPIRED',
];

/** True for the states a batch never leaves. */
export const isTerminal = (state: BatchState): boolean => TERMINAL.includes(state);

/**
 * Holds batches and drives them PENDING → RUNNING → their end on timers (which tests fake
 * with `vi.useFakeTimers`). A batch that ends SUCCEEDED runs its requests as it leaves
 * RUNNING; one that ends FAILED or EXPIRED runs nothing and charges nothing.
 */
export class BatchStore {
  private readonly records = new Map<string, BatchRecord>();

  constructor(private readonly run: BatchRunner) {}

  /** Accepts a batch and starts its clock; `queueMs`/`runMs` already include any jitter. */
  create(
    account: number,
    model: ModelSpec,
    input: BatchInput,
    fate: BatchFate,
    end: BatchRecord['end'],
    timing: { queueMs: number; runMs: number },
  ): BatchRecord {
    const now = new Date().toISOString();
    const record: BatchRecord = {
      name: `batches/${randomBytes(10).toString('hex')}`,
      account,
      model,
      input,
      fate,
      end,
      state: 'BATCH_STATE_PENDING',
      createTime: now,
      updateTime: now,
      deleted: false,
    };
    this.records.set(record.name, record);
    record.timer = setTimeout(() => {
      this.move(record, 'BATCH_STATE_RUNNING');
      record.timer = setTimeout(() => void this.finish(record), timing.runMs);
    }, timing.queueMs);
    return record;
  }

  private move(record: BatchRecord, state: BatchState): void {
    record.state = state;
    record.updateTime = new Date().toISOString();
    if (isTerminal(state)) record.endTime = record.updateTime;
  }

  private async finish(record: BatchRecord): Promise<void> {
    record.timer = undefined;
    if (record.end !== 'BATCH_STATE_SUCCEEDED') return this.move(record, record.end);
    const outcome = await this.run(record);
    // Cancelled while its images were being made: what was charged stays charged.
    if (record.state !== 'BATCH_STATE_RUNNING') return;
    record.outcome = outcome;
    this.move(record, 'BATCH_STATE_SUCCEEDED');
  }

  /** The live batch (not a copy), unless unknown or deleted. */
  get(name: string): BatchRecord | undefined {
    const record = this.records.get(name);
    return record && !record.deleted ? record : undefined;
  }

  /** An account's batches, in creation order. */
  list(account: number): BatchRecord[] {
    return [...this.records.values()].filter((r) => !r.deleted && r.account === account);
  }

  /** Every batch ever created (deleted ones too), in creation order. */
  all(): BatchRecord[] {
    return [...this.records.values()];
  }

  /**
   * Ends every pending or running batch now, as its fate says (a test's "the job is done"
   * without waiting for its timers); resolves once they have.
   */
  async finishAll(): Promise<void> {
    // A batch without a timer is already finishing (its requests being run): left to it.
    const open = [...this.records.values()].filter(
      (r) => !r.deleted && !isTerminal(r.state) && r.timer !== undefined,
    );
    await Promise.all(
      open.map((record) => {
        clearTimeout(record.timer);
        record.timer = undefined;
        if (record.state === 'BATCH_STATE_PENDING') this.move(record, 'BATCH_STATE_RUNNING');
        return this.finish(record);
      }),
    );
  }

  /** Cancels a pending or running batch; false when it had already ended. */
  cancel(record: BatchRecord): boolean {
    if (isTerminal(record.state)) return false;
    clearTimeout(record.timer);
    record.timer = undefined;
    this.move(record, 'BATCH_STATE_CANCELLED');
    return true;
  }

  /** Deletes a batch: it stops and is no longer found. */
  delete(record: BatchRecord): void {
    clearTimeout(record.timer);
    record.deleted = true;
  }

  /** Stops every timer; batches stay where they are. */
  close(): void {
    for (const record of this.records.values()) clearTimeout(record.timer);
  }
}
