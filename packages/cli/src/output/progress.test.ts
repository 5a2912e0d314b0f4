import type { ImageResult } from '@pixlock/core';
import { expect, it } from 'vitest';
import { progressReporter } from './progress.js';
import type { Terminal } from './terminal.js';

function capture(isTTY: boolean) {
  const out: string[] = [];
  const err: string[] = [];
  const term: Terminal = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    isTTY,
    cwd: '/',
    env: {},
  };
  return { term, out, err };
}

const result = (id: string, extra: Partial<ImageResult> = {}): ImageResult => ({
  id,
  action: 'create',
  outcome: 'created',
  credits: 15,
  ...extra,
});

it.each([true, false])('prints one line per finished image on stderr (TTY: %s)', (isTTY) => {
  const { term, out, err } = capture(isTTY);
  const p = progressReporter(term);
  p.onEvent({ type: 'run-start', total: 3, providerWork: 3 });
  p.onEvent({ type: 'image-start', id: 'a', action: 'create' });
  p.onEvent({ type: 'image-stage', id: 'a', stage: 'downloading' });
  p.onEvent({ type: 'image-end', result: result('a') });
  p.onEvent({
    type: 'image-end',
    result: result('b', { outcome: 'skipped', skipReason: 'budget' }),
  });
  p.onEvent({
    type: 'image-end',
    result: result('c', { outcome: 'failed', error: { code: 'UNKNOWN', message: 'c: boom' } }),
  });
  p.stop();
  expect(err).toEqual(['✓ a: created (15 credits)', '· b: skipped (budget)', '✗ c: boom']);
  expect(out).toEqual([]);
});
