/** A slot from {@link AdaptiveLimit.acquire}: say how the create went, then give it back. */
export interface Permit {
  /** The provider took the task: the slot is the server's until {@link release}. */
  accepted(): void;
  /**
   * The provider answered 429 and took nothing: the slot goes back and the limit learns the
   * account is full. Returns true when tasks of ours are still running on the server, so one
   * of them ending is the moment to try again; false when the account is full without us.
   */
  rateLimited(): boolean;
  /** The task ended on the server, or its create failed: the slot is free. Idempotent. */
  release(): void;
}

/** Options of {@link AdaptiveLimit}. */
export interface AdaptiveLimitOptions {
  /** Slots handed out at once before the first probe (default min(max, 4)). */
  initial?: number;
  /** A new probe after a failed one waits for this many completions per slot (default 4). */
  probeEvery?: number;
  /**
   * Probe upward from `initial` at once, one create at a time, until the first 429 (default
   * true). A shard starts at its share of the account instead (account-share.ts): probing
   * above it would only take slots the other shards are about to use.
   */
  rampUp?: boolean;
  /** Called each time one of our tasks ends on the server (a slot of ours is free). */
  onTaskEnd?: () => void;
}

/**
 * The number of provider tasks in flight, learnt from the provider's answers. It starts at
 * `initial` slots and grows one probe at a time (a probe is one create beyond the current
 * target, and never two at once) until the provider answers 429 or `max` is reached. A 429
 * drops the target to the other tasks in flight. After that, probes are rare: one
 * after every `probeEvery × target` of our own tasks completed, doubling the gap after each
 * failed probe, so a stable account limit costs a handful of 429s per run.
 */
export class AdaptiveLimit {
  private active = 0;
  private acceptedActive = 0;
  private currentTarget: number;
  private probing = false;
  private rampingUp: boolean;
  private completionsSinceProbe = 0;
  private probeGap: number;
  private readonly probeEvery: number;
  private readonly waiting: { grant: (p: Permit) => void; priority: number }[] = [];

  constructor(
    readonly max: number,
    options: AdaptiveLimitOptions = {},
  ) {
    if (!Number.isInteger(max) || max < 1)
      throw new TypeError(`AdaptiveLimit: max must be a positive integer, got ${max}`);
    const initial = options.initial ?? Math.min(max, 4);
    if (!Number.isInteger(initial) || initial < 1 || initial > max)
      throw new TypeError(`AdaptiveLimit: initial must be an integer in 1..${max}, got ${initial}`);
    this.probeEvery = options.probeEvery ?? 4;
    if (!(this.probeEvery > 0))
      throw new TypeError(`AdaptiveLimit: probeEvery must be > 0, got ${this.probeEvery}`);
    this.currentTarget = initial;
    this.probeGap = this.probeEvery * initial;
    this.rampingUp = options.rampUp ?? true;
    this.onTaskEnd = options.onTaskEnd;
  }

  private readonly onTaskEnd: (() => void) | undefined;

  /**
   * Allows up to `target` slots (at most `max`) when that is more than now: the account has
   * room we know of without probing (another shard's tasks have ended). A 429 lowers it again
   * as usual.
   */
  raiseTo(target: number): void {
    const raised = Math.min(this.max, Math.floor(target));
    if (raised <= this.currentTarget) return;
    this.currentTarget = raised;
    this.wake();
  }

  /** The number of slots currently allowed (a probe may run one beyond it). */
  get target(): number {
    return this.currentTarget;
  }

  /** Slots in use. */
  get inFlight(): number {
    return this.active;
  }

  /**
   * Waits for a slot; rejects with the signal's reason if it aborts first. Waiters are served
   * highest `priority` first, in arrival order among equals (an image with a longer chain of
   * images built on it goes before a loose one).
   */
  acquire(signal?: AbortSignal, priority = 0): Promise<Permit> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.waiting.length === 0) {
      const permit = this.tryGrant();
      if (permit) return Promise.resolve(permit);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        priority,
        grant: (p: Permit) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(p);
        },
      };
      const onAbort = () => {
        const i = this.waiting.indexOf(waiter);
        if (i !== -1) this.waiting.splice(i, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const at = this.waiting.findIndex((w) => w.priority < priority);
      if (at === -1) this.waiting.push(waiter);
      else this.waiting.splice(at, 0, waiter);
    });
  }

  private canProbe(): boolean {
    return (
      !this.probing &&
      this.currentTarget < this.max &&
      (this.rampingUp || this.completionsSinceProbe >= this.probeGap)
    );
  }

  private tryGrant(): Permit | undefined {
    if (this.active < this.currentTarget) return this.permit(false);
    if (this.canProbe()) {
      this.probing = true;
      return this.permit(true);
    }
    return undefined;
  }

  private permit(probe: boolean): Permit {
    this.active++;
    let state: 'sent' | 'accepted' | 'done' = 'sent';
    const endProbe = () => {
      if (probe) {
        probe = false;
        this.probing = false;
      }
    };
    return {
      accepted: () => {
        if (state !== 'sent') return;
        state = 'accepted';
        this.acceptedActive++;
        if (probe) {
          endProbe();
          this.currentTarget = Math.min(this.max, Math.max(this.currentTarget + 1, this.active));
          this.completionsSinceProbe = 0;
          this.probeGap = this.probeEvery * this.currentTarget;
        }
        this.wake();
      },
      rateLimited: () => {
        if (state === 'sent') {
          state = 'done';
          this.active--;
          this.rampingUp = false;
          if (probe) {
            // A probe is one beyond the target by definition: its refusal confirms the target.
            endProbe();
            this.probeGap = Math.min(this.probeGap * 2, 64 * this.probeEvery * this.currentTarget);
          } else {
            // The others in flight (accepted, or sent and not yet answered) are at most what
            // the account takes; each further 429 among them lowers it again.
            this.currentTarget = Math.max(1, Math.min(this.currentTarget, this.active));
          }
          this.completionsSinceProbe = 0;
          this.wake();
        }
        return this.acceptedActive > 0;
      },
      release: () => {
        if (state === 'done') return;
        const ended = state === 'accepted';
        if (ended) {
          this.acceptedActive--;
          this.completionsSinceProbe++;
        }
        state = 'done';
        endProbe();
        this.active--;
        if (ended) this.onTaskEnd?.();
        this.wake();
      },
    };
  }

  private wake(): void {
    while (this.waiting.length > 0) {
      const permit = this.tryGrant();
      if (!permit) return;
      this.waiting.shift()!.grant(permit);
    }
  }
}
