import type { Resolution } from '../manifest/schema.js';

/** Credits one image costs at each resolution (the provider's published prices). */
export const CREDITS_PER_IMAGE: Readonly<Record<Resolution, number>> = {
  '1k': 15,
  '2k': 15,
  '4k': 25,
};

/**
 * Credits one image costs with a provider: the published price for kinovi, nothing for the
 * offline placeholder. The one place a price is decided.
 */
export function imageCredits(provider: string, resolution: Resolution): number {
  return provider === 'placeholder' ? 0 : CREDITS_PER_IMAGE[resolution];
}

/** Dollars per credit (200 credits = $1). */
export const USD_PER_CREDIT = 0.005;

/** Dollars for a number of credits, rounded to a tenth of a cent. */
export function creditsToUsd(credits: number): number {
  return Math.round(credits * USD_PER_CREDIT * 1000) / 1000;
}
