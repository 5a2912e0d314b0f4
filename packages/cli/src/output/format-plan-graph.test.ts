import type { Plan, PlanEntry } from '@pixlock/core';
import { describe, expect, it } from 'vitest';
import { formatPlanGraph } from './format-plan-graph.js';

const entry = (
  id: string,
  action: PlanEntry['action'],
  more: Partial<PlanEntry> = {},
): PlanEntry => ({
  id,
  action,
  credits: 0,
  reason: action === 'unchanged' ? 'up to date' : `why ${id}`,
  files: [],
  depth: 0,
  ...more,
});

describe('formatPlanGraph', () => {
  it('draws each image under what it is built on, once in full, with what will run', () => {
    const plan: Plan = {
      version: 1,
      credits: 0,
      usd: 0,
      entries: [
        entry('banners/wide', 'regenerate', { references: ['scenes/park'], depth: 2 }),
        entry('characters/mia', 'regenerate'),
        entry('loose', 'unchanged'),
        entry('products/mug', 'unchanged'),
        entry('scenes/park', 'regenerate', { references: ['characters/mia'], depth: 1 }),
        entry('scenes/shop', 'regenerate', {
          references: ['characters/mia', 'products/mug'],
          depth: 1,
        }),
      ],
    };
    expect(formatPlanGraph(plan).map((l) => l.trimEnd())).toEqual([
      'characters/mia          regenerate  why characters/mia',
      '├─ scenes/park          regenerate  why scenes/park',
      '│  └─ banners/wide      regenerate  why banners/wide',
      '└─ scenes/shop          regenerate  why scenes/shop',
      'products/mug            unchanged',
      '└─ scenes/shop  (drawn in full above)',
      '',
      '5 images in the graph, 4 references, 3 levels; 4 to draw. 1 other image references none.',
    ]);
  });

  it('says so when no image references another', () => {
    const plan: Plan = { version: 1, credits: 0, usd: 0, entries: [entry('a', 'create')] };
    expect(formatPlanGraph(plan)).toEqual([
      'No image references another (references: [{ image: <id> }]).',
    ]);
  });
});
