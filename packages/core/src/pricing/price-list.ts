import type { Currency } from './currency.js';

/** One price of a list: an image of this resolution, with this model and mode when named. */
export interface PriceRow {
  /** The model id this row prices; absent: every model the rows above did not name. */
  model?: string;
  /** The provider's mode (`interactive`, `batch`); absent: every mode. */
  mode?: string;
  /** `1k`, `2k` or `4k`. */
  resolution: string;
  /** Per image, in the list's currency. */
  price: number;
}

/**
 * What one provider charges per image, as published: the rows, their unit, when they were
 * last read and where. Kept as data (price-table.ts) so `plan` prices a run without loading
 * any provider.
 */
export interface PriceList {
  currency: Currency;
  /** The day the prices were last checked against their sources (YYYY-MM-DD). */
  checked: string;
  /** Where the prices come from (a page, or why there is none). */
  sources: readonly string[];
  /**
   * The first row that matches wins, so a model's own rows come before the catch-all rows
   * (no `model`) that price every other model. Every list has a catch-all row for each
   * resolution (a test checks it): a model newer than the table is priced, never free.
   */
  rows: readonly PriceRow[];
}

/** What an image is priced by. */
export interface PriceQuery {
  model: string;
  /** Absent for a provider without modes. */
  mode?: string | undefined;
  resolution: string;
}

/**
 * The list price of one image.
 * @throws TypeError when no row matches: the table lacks its catch-all row, a bug.
 */
export function listPrice(list: PriceList, query: PriceQuery): number {
  const row = list.rows.find(
    (r) =>
      r.resolution === query.resolution &&
      (r.model === undefined || r.model === query.model) &&
      (r.mode === undefined || r.mode === query.mode),
  );
  if (!row) {
    throw new TypeError(
      `no price for ${query.model} ${query.mode ?? ''} ${query.resolution}`.replace(/ +/g, ' '),
    );
  }
  return row.price;
}
