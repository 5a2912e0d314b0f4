import { describe, expect, it } from 'vitest';
import { PROVIDER_NAMES, RESOLUTIONS } from '../manifest/schema.js';
import { formatAmount, formatCost, roundMoney, toUsd } from './currency.js';
import { listPrice, type PriceList } from './price-list.js';
import { imagePrice, PRICE_TABLE, priceListOf } from './price-table.js';

describe('the price table', () => {
  it('prices every provider at every resolution, whatever the model (a catch-all row each)', () => {
    for (const name of PROVIDER_NAMES) {
      const list = priceListOf(name);
      expect(list.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(list.sources.length).toBeGreaterThan(0);
      for (const resolution of RESOLUTIONS) {
        expect(
          listPrice(list, { model: 'a-model-newer-than-the-table', resolution }),
        ).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it("holds kinovi's published prices, in credits of $0.005", () => {
    const kinovi = (resolution: string) =>
      imagePrice({ name: 'kinovi', model: 'nanobanana2' }, resolution);
    expect([kinovi('1k'), kinovi('2k'), kinovi('4k')]).toEqual([15, 15, 25]);
    expect(PRICE_TABLE.kinovi.currency).toBe('credits');
    expect(toUsd(kinovi('4k'), 'credits')).toBe(0.125);
    expect(imagePrice({ name: 'placeholder', model: 'nanobanana2' }, '4k')).toBe(0);
  });

  // The shape a provider billed per image in dollars by model, size and mode needs (Gemini:
  // batch at half the interactive price). The figures here are made up for the test.
  const dollars: PriceList = {
    currency: 'usd',
    checked: '2026-12-01',
    sources: ['a test'],
    rows: [
      { model: 'fast-image', mode: 'interactive', resolution: '1k', price: 0.039 },
      { model: 'fast-image', mode: 'batch', resolution: '1k', price: 0.0195 },
      { model: 'pro-image', mode: 'interactive', resolution: '4k', price: 0.24 },
      { model: 'pro-image', mode: 'batch', resolution: '4k', price: 0.12 },
      { mode: 'batch', resolution: '1k', price: 0.12 },
      { resolution: '1k', price: 0.24 },
    ],
  };

  it('fits per-model, per-mode dollar prices, first match first, unknown models at the catch-all', () => {
    const price = (model: string, mode: string, resolution = '1k') =>
      listPrice(dollars, { model, mode, resolution });
    expect(price('fast-image', 'interactive')).toBe(0.039);
    expect(price('fast-image', 'batch')).toBe(0.0195);
    expect(price('pro-image', 'batch', '4k')).toBe(0.12);
    expect(price('next-image', 'batch')).toBe(0.12);
    expect(price('next-image', 'interactive')).toBe(0.24);
    expect(() => price('next-image', 'interactive', '2k')).toThrow(TypeError);
  });
});

describe('amounts', () => {
  it('shows credits with dollars beside them, and dollars alone', () => {
    expect(formatCost(30)).toBe('30 credits ($0.150)');
    expect(formatCost(0.117, 'usd')).toBe('$0.117');
    expect(formatCost(0.0195, 'usd')).toBe('$0.0195');
    expect(formatCost(12.3456, 'usd')).toBe('$12.35');
    expect(formatAmount(100)).toBe('100 credits');
    expect(toUsd(0.0195, 'usd')).toBe(0.02);
  });

  it('adds decimal prices without float noise', () => {
    expect(0.039 + 0.039 + 0.039).not.toBe(0.117);
    expect(roundMoney(roundMoney(0.039 + 0.039) + 0.039)).toBe(0.117);
  });
});
