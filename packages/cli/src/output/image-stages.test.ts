import type { ImageResult } from '@pixlock/core';
import { expect, it } from 'vitest';
import { ImageStages } from './image-stages.js';

const end = (id: string): ImageResult => ({ id, action: 'create', outcome: 'created', credits: 0 });

it('follows each image through creating, waiting, downloading and processing', () => {
  const s = new ImageStages();
  expect(s.summary()).toBe('');
  s.apply({ type: 'image-start', id: 'a', action: 'create' });
  s.apply({ type: 'image-start', id: 'b', action: 'regenerate' });
  s.apply({ type: 'image-start', id: 'c', action: 'restore' });
  expect(s.summary()).toBe('2 creating, 1 processing');
  s.apply({ type: 'task-created', id: 'a', taskId: 't1' });
  s.apply({ type: 'task-resumed', id: 'b', taskId: 't2' });
  expect(s.summary()).toBe('2 waiting, 1 processing');
  s.apply({ type: 'image-stage', id: 'a', stage: 'downloading' });
  expect(s.summary()).toBe('1 waiting, 1 downloading, 1 processing');
  s.apply({ type: 'image-stage', id: 'a', stage: 'processing' });
  s.apply({ type: 'image-end', result: end('c') });
  expect(s.summary()).toBe('1 waiting, 1 processing');
  s.apply({ type: 'image-end', result: end('a') });
  s.apply({ type: 'image-end', result: end('b') });
  expect(s.summary()).toBe('');
});

it('ignores events that do not move an image', () => {
  const s = new ImageStages();
  expect(s.apply({ type: 'retry', id: 'a', what: 'poll', attempt: 1, message: 'x' })).toBe(false);
  expect(s.apply({ type: 'run-start', total: 1, providerWork: 1 })).toBe(false);
});
