import { roundMoney, toUsd, type Currency } from './currency.js';

/** A sum of amounts as plans and runs report it. */
export interface CostTotal {
  /** In `currency` (the field keeps the name every plan and run has had). */
  credits: number;
  usd: number;
  /** Present only when it is not kinovi credits, the unit of every plan before it. */
  currency?: Currency;
}

/** The total of `amounts`, in `currency` and in dollars. */
export function costTotal(amounts: readonly number[], currency: Currency = 'credits'): CostTotal {
  const credits = roundMoney(amounts.reduce((sum, n) => sum + n, 0));
  return {
    credits,
    usd: toUsd(credits, currency),
    ...(currency !== 'credits' && { currency }),
  };
}
