import { listPrice, type PriceList } from './price-list.js';

/**
 * Every provider's published prices, in one place: `plan` estimates with them, the engine
 * reserves them against the budget, and kinovi assumes them when a task reports no cost.
 * What was spent is what each provider reports; a report above these prices stops a run
 * with a budget (PROVIDER_OVERCHARGED).
 *
 * To price a new provider, add its list here under its manifest name: its currency (add one
 * to currency.ts if it bills in another unit), the day you checked, the sources, and rows.
 * Rows are matched first to last on model, mode and resolution, so per-model rows go first
 * and catch-all rows (no model) last. A mode that costs a fraction of another (Gemini's batch
 * mode is half the interactive price) gets rows of its own, priced as published.
 */
export const PRICE_TABLE = {
  placeholder: {
    currency: 'credits',
    checked: '2026-11-24',
    sources: ['offline and free: it draws locally and calls no API'],
    rows: [
      { resolution: '1k', price: 0 },
      { resolution: '2k', price: 0 },
      { resolution: '4k', price: 0 },
    ],
  },
  kinovi: {
    currency: 'credits',
    checked: '2026-11-24',
    sources: [
      'NanoBanana 2 on the kinovi jobs API, "Pricing" (seedance2-pro.com/docs, now kinovi.ai): 15 credits at 1k and 2k, 25 at 4k, 1 credit = $0.005',
    ],
    // One price for every model: the seed page lists only NanoBanana 2.
    rows: [
      { resolution: '1k', price: 15 },
      { resolution: '2k', price: 15 },
      { resolution: '4k', price: 25 },
    ],
  },
} as const satisfies Record<string, PriceList>;

/** A provider that has a price list. */
export type PricedProvider = keyof typeof PRICE_TABLE;

/** The provider settings an image's price depends on (the manifest's `provider`). */
export interface PricedSettings {
  name: PricedProvider;
  model: string;
  mode?: string | undefined;
}

/** The price list of a provider. */
export function priceListOf(provider: PricedProvider): PriceList {
  return PRICE_TABLE[provider];
}

/**
 * What one image costs with `provider`, in its list's currency: the one place a price is
 * decided.
 */
export function imagePrice(provider: PricedSettings, resolution: string): number {
  return listPrice(priceListOf(provider.name), {
    model: provider.model,
    mode: provider.mode,
    resolution,
  });
}
