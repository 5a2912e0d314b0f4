import { AdaptiveLimit, type Permit } from '../engine/adaptive-limit.js';
import { systemClock, type Clock } from '../util/clock.js';
import { accountShare, type AccountShare } from './account-share.js';

/**
 * The provider limit of one shard of `tasks.length` that share one account: it starts at the
 * shard's share (account-share.ts), never probes above the schedule, and raises the target
 * as the schedule says other shards end: by its own ended tasks, or by time (`clock`, in task
 * durations measured on its own tasks, since its first was taken), whichever comes first. A
 * raise the account refuses (a 429: that shard was late) is tried again one round of our own
 * tasks later, then two, four…, so an account smaller than the schedule thinks costs a few
 * 429s, not one per task.
 */
export function sharedAccountLimit(
  concurrency: number,
  tasks: readonly number[],
  index: number,
  clock: Clock = systemClock,
): AdaptiveLimit {
  return new SharedAccountLimit(concurrency, accountShare(tasks, index, concurrency), clock);
}

class SharedAccountLimit extends AdaptiveLimit {
  private ended = 0;
  private raisedTo: number;
  private raisedAt = 0;
  private gap = 1;
  /** When the provider took our first task (ms), and the time our ended tasks held slots. */
  private firstAt: number | undefined;
  private heldMs = 0;

  constructor(
    concurrency: number,
    private readonly share: AccountShare,
    private readonly clock: Clock,
  ) {
    const initial = Math.min(concurrency, share.initial);
    // No probes: a probe lands when another shard's slot is free for a moment (between two of
    // its tasks, or before a late runner starts), and the target it wins is kept, so that
    // shard then meets 429s and drops below its share. Slots change hands by the schedule.
    super(concurrency, {
      initial,
      rampUp: false,
      probeEvery: Number.POSITIVE_INFINITY,
      onTaskEnd: () => this.taskEnded(),
    });
    this.raisedTo = initial;
  }

  override async acquire(signal?: AbortSignal, priority?: number): Promise<Permit> {
    return this.timed(await super.acquire(signal, priority));
  }

  /** The permit, noting how long the provider held the task (the schedule's unit of time). */
  private timed(permit: Permit): Permit {
    let acceptedAt: number | undefined;
    return {
      accepted: () => {
        acceptedAt ??= this.clock.now().getTime();
        this.firstAt ??= acceptedAt;
        permit.accepted();
      },
      rateLimited: () => permit.rateLimited(),
      release: () => {
        if (acceptedAt !== undefined) {
          this.heldMs += this.clock.now().getTime() - acceptedAt;
          acceptedAt = undefined;
        }
        permit.release();
      },
    };
  }

  /** Task durations since our first task was taken; 0 until one has ended. */
  private rounds(): number {
    if (this.firstAt === undefined || this.ended === 0 || this.heldMs <= 0) return 0;
    return (this.clock.now().getTime() - this.firstAt) / (this.heldMs / this.ended);
  }

  private taskEnded(): void {
    this.ended++;
    const due = Math.min(
      this.max,
      Math.max(this.share.at(this.ended), this.share.atTime(this.rounds())),
    );
    if (due > this.raisedTo) {
      // A new step of the schedule: another shard has ended, by our count or by the clock.
      this.raisedTo = due;
      this.raisedAt = this.ended;
      this.gap = 1;
      this.raiseTo(due);
    } else if (
      this.target < this.raisedTo &&
      this.ended - this.raisedAt >= this.gap * this.raisedTo
    ) {
      // The last raise met a 429: try again, less and less often.
      this.raisedAt = this.ended;
      this.gap *= 2;
      this.raiseTo(this.raisedTo);
    }
  }
}
