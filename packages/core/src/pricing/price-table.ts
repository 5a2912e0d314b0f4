import { listPrice, type PriceList, type PriceRow } from './price-list.js';

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
  gemini: {
    currency: 'usd',
    checked: '2026-12-04',
    sources: [
      "ai.google.dev/gemini-api/docs/pricing as quoted by secondary copies (aifreeapi.com 2026-03-23/24, lumenfall.ai 2026-02-26..2026-07, laozhang blog, Puter's cost map HeyPuter/puter#2562, discuss.ai.google.dev t/101173); the official page itself could not be read: see docs/gemini-api.md",
      'Per output image (image tokens x the per-million rate, e.g. $120/M x 1120 for 3 Pro Image at 1K); input text and reference images are billed on top and left out',
      'Batch mode: 50% of the standard price (ai.google.dev/gemini-api/docs/batch-api)',
      'Models not listed: priced as 3 Pro Image, the dearest, so an estimate or budget never runs low',
    ],
    // The GA ids are assumed to keep their preview's prices (docs/gemini-api.md). Models that
    // draw 1K only have no other rows: the manifest refuses other sizes for them.
    rows: [
      ...geminiRows('gemini-3.1-flash-image', {
        '1k': [0.067, 0.034],
        '2k': [0.101, 0.05],
        '4k': [0.151, 0.076],
      }),
      ...geminiRows('gemini-3.1-flash-image-preview', {
        '1k': [0.067, 0.034],
        '2k': [0.101, 0.05],
        '4k': [0.151, 0.076],
      }),
      ...geminiRows('gemini-3-pro-image', {
        '1k': [0.134, 0.067],
        '2k': [0.134, 0.067],
        '4k': [0.24, 0.12],
      }),
      ...geminiRows('gemini-3-pro-image-preview', {
        '1k': [0.134, 0.067],
        '2k': [0.134, 0.067],
        '4k': [0.24, 0.12],
      }),
      ...geminiRows('gemini-3.1-flash-lite-image', { '1k': [0.034, 0.017] }),
      ...geminiRows('gemini-2.5-flash-image', { '1k': [0.039, 0.0195] }),
      ...geminiRows(undefined, { '1k': [0.134, 0.067], '2k': [0.134, 0.067], '4k': [0.24, 0.12] }),
    ],
  },
} as const satisfies Record<string, PriceList>;

/**
 * A Gemini model's rows: per resolution, the batch price (half, as published) and the
 * interactive price. `model` undefined: the catch-all rows.
 */
function geminiRows(
  model: string | undefined,
  prices: Partial<Record<'1k' | '2k' | '4k', readonly [interactive: number, batch: number]>>,
): PriceRow[] {
  // The catch-all's interactive row names no mode, so a query without one is priced too.
  return Object.entries(prices).flatMap(([resolution, [interactive, batch]]) => [
    { ...(model !== undefined && { model }), mode: 'batch', resolution, price: batch },
    model === undefined
      ? { resolution, price: interactive }
      : { model, mode: 'interactive', resolution, price: interactive },
  ]);
}

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
