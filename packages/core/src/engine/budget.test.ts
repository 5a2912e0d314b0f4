import { describe, expect, it } from 'vitest';
import { Budget } from './budget.js';

describe('Budget', () => {
  it('refuses a create whose list price would pass the budget', () => {
    const budget = new Budget(30);
    expect(budget.reserve(15)).toBe(true);
    expect(budget.reserve(15)).toBe(true);
    expect(budget.reserve(15)).toBe(false);
    budget.cancel(15);
    expect(budget.reserve(15)).toBe(true);
  });
  it('counts what the provider reports, not the list price', () => {
    const budget = new Budget(30);
    budget.reserve(15);
    budget.settle(15, 100);
    expect(budget.spent).toBe(100);
    expect(budget.exhausted).toBe(true);
    expect(budget.reserve(15)).toBe(false);
    const cheap = new Budget(30);
    cheap.reserve(15);
    cheap.settle(15, 5);
    expect(cheap.committedCredits).toBe(5);
    expect(cheap.reserve(15)).toBe(true);
  });
  it('without a maximum, never refuses', () => {
    const budget = new Budget(undefined);
    for (let i = 0; i < 100; i++) expect(budget.reserve(1000)).toBe(true);
    expect(budget.exhausted).toBe(false);
  });
});
