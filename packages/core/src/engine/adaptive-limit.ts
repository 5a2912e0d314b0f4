/**
 * A concurrency limit that learns the provider's account limit. Starts at the configured
 * target; a rate-limit answer drops the target to what the provider did accept, and the
 * target grows by one again after a full window of successes (additive increase,
 * multiplicative decrease), so a configured concurrency above the account limit costs a few
 * 429s rather than a storm of them.
 */
export class AdaptiveLimit {
  private active = 0;
  private successes = 0;
  private readonly waiting: (() => void)[] = [];
  private currentTarget: number;

  constructor(private readonly max: number) {
    if (!Number.isInteger(max) || max < 1)
      throw new TypeError(`AdaptiveLimit: max must be a positive integer, got ${max}`);
    this.currentTarget = max;
  }

  /** The number of slots currently allowed. */
  get target(): number {
    return this.currentTarget;
  }

  /** Slots in use. */
  get inFlight(): number {
    return this.active;
  }

  /** Waits for a slot; call the returned function exactly once to give it back. */
  async acquire(): Promise<() => void> {
    while (this.active >= this.currentTarget) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.wake();
    };
  }

  /**
   * The provider refused a task for being over its limit while `active` slots (this one
   * included) were in use: the others are what it accepts.
   */
  rateLimited(): void {
    this.currentTarget = Math.max(1, Math.min(this.currentTarget, this.active - 1));
    this.successes = 0;
  }

  /** A task was accepted and finished; after a window of them, allow one more. */
  succeeded(): void {
    if (this.currentTarget >= this.max) return;
    this.successes++;
    if (this.successes >= this.currentTarget) {
      this.successes = 0;
      this.currentTarget++;
      this.wake();
    }
  }

  // Woken waiters re-check the condition themselves, so waking one per free slot is enough.
  private wake(): void {
    let free = this.currentTarget - this.active;
    while (free-- > 0 && this.waiting.length > 0) this.waiting.shift()!();
  }
}
