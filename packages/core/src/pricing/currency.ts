import { plural } from '../util/plural.js';

/**
 * The units prices are counted in. A provider bills in one of them; plans, budgets, the lock's
 * `credits` fields and run results count in its unit, and show dollars beside it.
 */
export const CURRENCIES = {
  /** kinovi credits: 1 credit = $0.005 (200 credits = $1), from kinovi's price list. */
  credits: { usdPerUnit: 0.005 },
  /** US dollars, as Google bills the Gemini API. */
  usd: { usdPerUnit: 1 },
} as const;

/** One unit prices are counted in. */
export type Currency = keyof typeof CURRENCIES;

/** Dollars for an amount in `currency`, rounded to a tenth of a cent. */
export function toUsd(amount: number, currency: Currency = 'credits'): number {
  return Math.round(amount * CURRENCIES[currency].usdPerUnit * 1000) / 1000;
}

/** Dollars for a number of kinovi credits, rounded to a tenth of a cent. */
export function creditsToUsd(credits: number): number {
  return toUsd(credits, 'credits');
}

/** An amount in its unit: `30 credits`, `$0.117`. */
export function formatAmount(amount: number, currency: Currency = 'credits'): string {
  if (currency === 'credits') return plural(roundMoney(amount), 'credit');
  const rounded = roundMoney(amount);
  return rounded < 1 ? `$${rounded.toFixed(4).replace(/0$/, '')}` : `$${rounded.toFixed(2)}`;
}

/**
 * An amount for people: `30 credits ($0.150)`, or `$0.117` for a provider that bills in
 * dollars (under a dollar to the hundredth of a cent, as Google's per-image prices are:
 * `$0.0195`).
 */
export function formatCost(amount: number, currency: Currency = 'credits'): string {
  if (currency === 'usd') return formatAmount(amount, currency);
  return `${formatAmount(amount, currency)} ($${toUsd(amount, currency).toFixed(3)})`;
}

/**
 * A sum of prices without the float noise of adding decimals (0.039 three times is
 * 0.11699999999999999): budgets compare these, so a run is not refused by a rounding error.
 */
export function roundMoney(amount: number): number {
  return Math.round(amount * 1e9) / 1e9;
}
