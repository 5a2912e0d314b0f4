/**
 * The credits a run may spend, counted as the provider reports them. A create reserves its
 * list price before it is sent; once the task reports `creditsUsed`, that figure replaces the
 * estimate, so a provider charging more than its list price uses the budget up sooner.
 */
export class Budget {
  private committed = 0;
  private reportedSpend = 0;

  /** @param max most credits the run may commit; undefined for no budget. */
  constructor(readonly max: number | undefined) {
    if (max !== undefined && !(max >= 0))
      throw new TypeError(`Budget: max must be a number >= 0, got ${max}`);
  }

  /** Reserves `price` for a create about to be sent; false when that would pass the budget. */
  reserve(price: number): boolean {
    if (this.max !== undefined && this.committed + price > this.max) return false;
    this.committed += price;
    return true;
  }

  /** The create was not taken: nothing is owed. */
  cancel(price: number): void {
    this.committed -= price;
  }

  /** A task of this run reported what it cost: that replaces the `reserved` estimate. */
  settle(reserved: number, creditsUsed: number): void {
    this.committed += creditsUsed - reserved;
    this.reportedSpend += creditsUsed;
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
