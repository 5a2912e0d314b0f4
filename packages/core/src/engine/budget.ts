import { roundMoney } from '../pricing/currency.js';

/**
 * What a run may spend, in the provider's unit (kinovi credits, or dollars for a provider
 * that bills in dollars: see pricing/currency.ts), counted as the provider reports it. A create reserves its
 * list price before it is sent; once the task reports `creditsUsed`, that figure replaces the
 * estimate, so a provider charging more than its list price uses the budget up sooner.
 *
 * With a maximum, the price is learnt before it is trusted: until a task has reported what it
 * cost, only one paid create is out at a time (the scout). Otherwise every create sent in the
 * first wave, each within the budget at list price, could be charged more before the first
 * report arrives (8 creates at 100 credits against a budget of 30 spend 800). With the scout,
 * a provider over-charging from the start costs at most one task beyond the budget; the run
 * stops creating on that report (see generate-image.ts). The price of that guarantee is one
 * task's duration at the start of a run with a budget.
 */
export class Budget {
  private committed = 0;
  private reportedSpend = 0;
  private priced = false;
  private scoutOut = false;
  private waiters: (() => void)[] = [];

  /**
   * @param max most the run may commit, in the provider's unit; undefined for no budget.
   * @param options.priced the list price is what each task costs (a provider whose API
   * reports no cost): no scout is needed to learn it.
   */
  constructor(
    readonly max: number | undefined,
    options: { priced?: boolean } = {},
  ) {
    if (max !== undefined && !(max >= 0))
      throw new TypeError(`Budget: max must be a number >= 0, got ${max}`);
    this.priced = options.priced ?? false;
  }

  /** True while a create of `price` must wait for the scout's report (see the class). */
  mustWait(price: number): boolean {
    return this.max !== undefined && price > 0 && !this.priced && this.scoutOut;
  }

  /** Resolves once a create of `price` need not wait; rejects with the signal's reason. */
  ready(price: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (!this.mustWait(price)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        reject(signal.reason);
      };
      const wake = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(wake);
    });
  }

  /** Reserves `price` for a create about to be sent; false when that would pass the budget. */
  reserve(price: number): boolean {
    if (this.max !== undefined && roundMoney(this.committed + price) > this.max) return false;
    this.committed = roundMoney(this.committed + price);
    if (this.max !== undefined && price > 0 && !this.priced) this.scoutOut = true;
    return true;
  }

  /** The create was not taken: nothing is owed. */
  cancel(price: number): void {
    this.committed = roundMoney(this.committed - price);
    this.ended(price);
  }

  /**
   * A reserved create of `price` is over, whatever its end (refused, unconfirmed, or its task
   * done, failed, lost or timed out): another may be sent. Call once per reserved create.
   */
  ended(price: number): void {
    // Before a price is known only one paid create is out, so a paid one ending is the scout.
    if (!this.scoutOut || price <= 0) return;
    this.scoutOut = false;
    this.wake();
  }

  /** A task of this run reported what it cost: that replaces the `reserved` estimate. */
  settle(reserved: number, creditsUsed: number): void {
    this.committed = roundMoney(this.committed + creditsUsed - reserved);
    this.reportedSpend = roundMoney(this.reportedSpend + creditsUsed);
    this.priced = true;
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Credits the provider reported for tasks created in this run. */
  get spent(): number {
    return this.reportedSpend;
  }

  /** Reported spend plus the estimates of tasks not yet reported. */
  get committedCredits(): number {
    return this.committed;
  }

  /** True once nothing more may be created. */
  get exhausted(): boolean {
    return this.max !== undefined && this.committed >= this.max;
  }
}
