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
  it('in dollars, spends a budget of exactly three images on three images', () => {
    // 0.039 + 0.039 + 0.039 is 0.11699999999999999 in floats, and one more cent of noise
    // either way must not refuse the third image or admit a fourth.
    const budget = new Budget(0.117);
    expect([budget.reserve(0.039), budget.reserve(0.039), budget.reserve(0.039)]).toEqual([
      true,
      true,
      true,
    ]);
    expect(budget.reserve(0.039)).toBe(false);
    budget.settle(0.039, 0.039);
    budget.settle(0.039, 0.039);
    budget.settle(0.039, 0.039);
    expect(budget.spent).toBe(0.117);
    expect(budget.exhausted).toBe(true);
  });
  it('without a maximum, never refuses', () => {
    const budget = new Budget(undefined);
    for (let i = 0; i < 100; i++) expect(budget.reserve(1000)).toBe(true);
    expect(budget.exhausted).toBe(false);
  });
});

describe('Budget: the price is learnt from one task before more are sent', () => {
  it('holds further paid creates while the first is out, and lets them go on its report', async () => {
    const budget = new Budget(1000);
    const signal = new AbortController().signal;
    expect(budget.mustWait(15)).toBe(false);
    expect(budget.reserve(15)).toBe(true);
    expect(budget.mustWait(15)).toBe(true);
    expect(budget.mustWait(0)).toBe(false); // a free create risks nothing
    let released = false;
    const waiting = budget.ready(15, signal).then(() => (released = true));
    await Promise.resolve();
    expect(released).toBe(false);
    budget.ended(15);
    budget.settle(15, 15);
    await waiting;
    // Priced: as many as the budget covers go at once.
    for (let i = 0; i < 5; i++) {
      expect(budget.mustWait(15)).toBe(false);
      expect(budget.reserve(15)).toBe(true);
    }
  });

  it('a scout that ends without a report (failed, lost, refused) hands the turn on', async () => {
    const budget = new Budget(1000);
    budget.reserve(15);
    budget.cancel(15);
    expect(budget.mustWait(15)).toBe(false);
    budget.reserve(15);
    const next = budget.ready(15, new AbortController().signal);
    budget.ended(15);
    await next;
    expect(budget.reserve(15)).toBe(true);
    expect(budget.mustWait(15)).toBe(true);
  });

  it('without a maximum, nothing waits; an abort ends the wait', async () => {
    const free = new Budget(undefined);
    free.reserve(15);
    expect(free.mustWait(15)).toBe(false);
    const budget = new Budget(100);
    budget.reserve(15);
    const controller = new AbortController();
    const waiting = budget.ready(15, controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });
});
