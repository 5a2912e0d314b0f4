import { randomBytes } from 'node:crypto';
import type { CreateTaskInput } from './create-task-request.js';
import type { FaultDecider } from './faults.js';
import type { FakeKinoviOptions, OutputMediaType, Resolution } from './options.js';
import { imageSize } from './image-size.js';
import type { FakeKinoviStats } from './stats.js';

/** Lifecycle states, as the seed page names them. */
export type TaskStatus = 'waiting' | 'generating' | 'success' | 'fail';

/** One generated image of a task, as recordInfo lists it. */
export interface FakeTaskOutput {
  url: string;
  width: number;
  height: number;
  mediaType: OutputMediaType;
}

/** A task the fake accepted, with the inputs it received; what {@link FakeKinovi.tasks} returns. */
export interface FakeTask extends CreateTaskInput {
  taskId: string;
  /** Index of the API key (in `apiKeys`) that created it; the key itself is never exposed. */
  account: number;
  status: TaskStatus;
  /** Credits reserved at create (still shown as `creditsUsed` on a failed task). */
  creditsReserved: number;
  /** True once a failed task's credits went back to the wallet. */
  refunded: boolean;
  createTime: number;
  completeTime: number | null;
  /** Set when status is `fail`. */
  error: { code: string; message: string } | null;
  /** Set when status is `success`. */
  output: FakeTaskOutput[] | null;
}

/** Credits per image, from the seed page's pricing table. */
export function creditCost(resolution: Resolution): number {
  return resolution === '4k' ? 25 : 15;
}

/** The answer to a create attempt: the new task, or why it was refused. */
export type CreateOutcome =
  | { ok: true; task: FakeTask }
  | { ok: false; status: 429; body: { message: string; limit: number; current: number } }
  | { ok: false; status: 402; body: { message: string; required: number; available: number } };

interface TaskRecord {
  task: FakeTask;
  willFail: boolean;
  pendingOutput: FakeTaskOutput;
  timer: NodeJS.Timeout | undefined;
}

/** Holds every task, drives their lifecycle with timers, and does the account's bookkeeping. */
export class TaskStore {
  private readonly records = new Map<string, TaskRecord>();
  private readonly inFlightByAccount = new Map<number, number>();

  constructor(
    private readonly options: () => FakeKinoviOptions,
    private readonly decider: FaultDecider,
    private readonly stats: FakeKinoviStats,
    private readonly fileUrl: (taskId: string) => string,
  ) {}

  /** Tasks of one account now in waiting|generating. */
  inFlight(account: number): number {
    return this.inFlightByAccount.get(account) ?? 0;
  }

  /** Applies the concurrency limit and the wallet; on success the task exists and is charged. */
  create(account: number, input: CreateTaskInput): CreateOutcome {
    const o = this.options();
    const current = this.inFlight(account);
    if (current >= o.concurrencyLimit) {
      return {
        ok: false,
        status: 429,
        body: { message: 'Concurrency limit exceeded', limit: o.concurrencyLimit, current },
      };
    }
    const cost = o.chargePerTask ?? creditCost(input.resolution);
    if (this.stats.creditsAvailable < cost) {
      return {
        ok: false,
        status: 402,
        body: {
          message: 'Insufficient credits',
          required: cost,
          available: this.stats.creditsAvailable,
        },
      };
    }
    // Unguessable ids: a task id kept from an earlier server run must be "not found", not a hit.
    const taskId = o.numericTaskIds
      ? // Above 2^63, so JSON.parse rounds it: the digits are what a client must keep.
        (2n ** 63n + BigInt(`0x${randomBytes(7).toString('hex')}`)).toString()
      : `task_${randomBytes(8).toString('hex')}`;
    const task: FakeTask = {
      ...input,
      taskId,
      account,
      status: 'waiting',
      creditsReserved: cost,
      refunded: false,
      createTime: Date.now(),
      completeTime: null,
      error: null,
      output: null,
    };
    const { width, height } = imageSize(input.aspectRatio, input.resolution);
    const record: TaskRecord = {
      task,
      willFail: this.decider.taskFails(o),
      // Fixed at create, so configure() mid-run does not change what a pending task will produce.
      pendingOutput: { url: this.fileUrl(taskId), width, height, mediaType: o.mediaType },
      timer: undefined,
    };
    this.records.set(taskId, record);

    const s = this.stats;
    s.creates += 1;
    s.firstCreateAt ??= task.createTime;
    s.referencesByTask[taskId] = [
      ...new Set([...(input.imageUrls ?? []), ...(input.uploadedUrls ?? [])]),
    ];
    s.createsByPrompt[input.prompt] = (s.createsByPrompt[input.prompt] ?? 0) + 1;
    s.creditsAvailable -= cost;
    s.creditsCharged += cost;
    this.inFlightByAccount.set(account, current + 1);
    s.inFlight += 1;
    s.maxInFlight = Math.max(s.maxInFlight, s.inFlight);

    // Both phases drawn now, in create order, rather than when timers fire in whatever order.
    const queueMs = o.queueMs + this.decider.jitter(o);
    const latencyMs = o.latencyMs + this.decider.jitter(o);
    record.timer = setTimeout(() => this.start(record, latencyMs), queueMs);
    return { ok: true, task };
  }

  private start(record: TaskRecord, latencyMs: number): void {
    record.task.status = 'generating';
    record.timer = setTimeout(() => this.finish(record), latencyMs);
  }

  private finish(record: TaskRecord): void {
    const { task } = record;
    record.timer = undefined;
    task.completeTime = Date.now();
    this.stats.lastCompletionAt = task.completeTime;
    this.inFlightByAccount.set(task.account, this.inFlight(task.account) - 1);
    this.stats.inFlight -= 1;
    if (record.willFail) {
      task.status = 'fail';
      task.error = { code: '2038', message: 'Generation failed: the model returned no image' };
      task.refunded = true;
      this.stats.failed += 1;
      this.stats.creditsAvailable += task.creditsReserved;
      this.stats.creditsCharged -= task.creditsReserved;
      this.stats.creditsRefunded += task.creditsReserved;
    } else {
      task.status = 'success';
      task.output = [record.pendingOutput];
      this.stats.succeeded += 1;
    }
  }

  /** The live task (not a copy), or undefined. */
  get(taskId: string): FakeTask | undefined {
    return this.records.get(taskId)?.task;
  }

  /** The live task of the same account that finished last, other than `task`; else any other. */
  other(task: FakeTask): FakeTask | undefined {
    let found: FakeTask | undefined;
    for (const { task: t } of this.records.values()) {
      if (t === task || t.account !== task.account) continue;
      if (!found || (t.completeTime ?? -1) >= (found.completeTime ?? -1)) found = t;
    }
    return found;
  }

  /** Copies of every task, in creation order. */
  list(): FakeTask[] {
    return [...this.records.values()].map((r) => structuredClone(r.task));
  }

  /** Stops every lifecycle timer; tasks stay where they are. */
  close(): void {
    for (const record of this.records.values()) clearTimeout(record.timer);
  }
}
