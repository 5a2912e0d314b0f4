import type { Plan, PlanAction, PlanEntry } from '@pixlock/core';
import { describe, expect, it } from 'vitest';
import { formatPlan, planCounts, planHasChanges, planTotals } from './format-plan.js';

function plan(actions: PlanAction[]): Plan {
  const entries = actions.map(
    (action, i) =>
      ({ id: `img-${i}`, action, credits: action === 'create' ? 15 : 0, reason: 'r' }) as PlanEntry,
  );
  const credits = entries.reduce((n, e) => n + e.credits, 0);
  return { version: 1, entries, credits, usd: credits / 200 };
}

describe('formatPlan', () => {
  it('colours the symbols when asked, and only the symbols', () => {
    const p = plan(['create', 'regenerate', 'restore', 'orphan']);
    const [create, regenerate, restore, orphan] = formatPlan(p, { color: true });
    expect(create).toBe('\x1b[32m  +\x1b[39m img-0  create      15 credits   r');
    expect(regenerate?.startsWith('\x1b[33m-/+\x1b[39m img-1')).toBe(true);
    expect(restore?.startsWith('\x1b[36m  ~\x1b[39m img-2')).toBe(true);
    expect(orphan?.startsWith('\x1b[31m  -\x1b[39m img-3')).toBe(true);
  });

  it('says "1 credit" and "1 paid task", not "1 credits"', () => {
    const one: Plan = {
      version: 1,
      entries: [
        { id: 'a', action: 'regenerate', credits: 1, reason: 'r', resumeTaskId: 't', files: [] },
      ],
      credits: 1,
      usd: 0.005,
    };
    const [line, , totals] = formatPlan(one);
    expect(line).toBe('-/+ a   regenerate  1 credit     r');
    expect(totals).toMatch(/Estimated 1 credit \(\$0\.005\)\. 1 paid task will be resumed\.$/);
  });

  it('has no escape code without colour', () => {
    expect(formatPlan(plan(['create', 'orphan'])).join('\n')).not.toContain('\x1b');
  });
});

describe('planCounts', () => {
  it('gives the numbers the totals line prints', () => {
    const p = plan([
      'create',
      'create',
      'regenerate',
      'reprocess',
      'restore',
      'orphan',
      'unchanged',
    ]);
    expect(planCounts(p)).toEqual({
      create: 2,
      regenerate: 1,
      rebuild: 2,
      move: 0,
      orphan: 1,
      unchanged: 1,
    });
    expect(planTotals(p)).toMatch(
      /^Plan: 2 to create, 1 to regenerate, 2 to rebuild from kept originals \(free\), 1 orphaned, 1 unchanged\./,
    );
  });

  it("states the estimate in the provider's unit: credits with dollars, or dollars", () => {
    expect(planTotals(plan(['create', 'create']))).toMatch(/Estimated 30 credits \(\$0\.150\)\.$/);
    const dollars: Plan = {
      version: 1,
      entries: [
        { id: 'a', action: 'create', credits: 0.039, reason: 'new', files: [] },
        { id: 'b', action: 'create', credits: 0.0195, reason: 'new', files: [] },
      ],
      credits: 0.0585,
      usd: 0.059,
      currency: 'usd',
    };
    expect(planTotals(dollars)).toMatch(/Estimated \$0\.0585\.$/);
    expect(formatPlan(dollars)[0]).toBe('  + a   create      $0.039       new');
  });

  it('counts moves to a new outDir apart, and names them only when there are some', () => {
    const p = plan(['move', 'move', 'unchanged']);
    expect(planCounts(p)).toMatchObject({ rebuild: 0, move: 2 });
    expect(planTotals(p)).toMatch(
      /^Plan: 0 to create, 0 to regenerate, 0 to rebuild from kept originals \(free\), 2 to move to the new outDir \(free\), 0 orphaned, 1 unchanged\./,
    );
    expect(planHasChanges(planCounts(p))).toBe(true);
    expect(formatPlan(p, { color: true })[0]).toBe(
      '\x1b[36m  ~\x1b[39m img-0  move                     r',
    );
  });

  it('counts only generate work as changes: orphans are for prune', () => {
    expect(planHasChanges(planCounts(plan(['unchanged', 'orphan'])))).toBe(false);
    expect(planHasChanges(planCounts(plan(['unchanged', 'restore'])))).toBe(true);
  });
});
