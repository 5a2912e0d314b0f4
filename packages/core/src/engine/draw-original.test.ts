import { describe, expect, it } from 'vitest';
import { PixlockError } from '../errors.js';
import { emptyLock } from '../lock/lockfile.js';
import type { GenerationRequest } from '../providers/image-provider.js';
import { createPlan, manifestOf, runWithFakes } from './test-utils/engine-run.js';
import { drive, fakeClock } from './test-utils/fake-clock.js';
import { fakeProvider } from './test-utils/fake-provider.js';
import { memoryStore } from './test-utils/memory-store.js';

describe('drawOriginal (fakes)', () => {
  it('a recorded task the provider lost is created again with its uploaded file references', async () => {
    const clock = fakeClock();
    const store = memoryStore();
    const created: GenerationRequest[] = [];
    const uploads: string[] = [];
    const { provider, calls } = fakeProvider({
      store,
      capabilities: { references: 'uploads' },
      create: (request) => void created.push(structuredClone(request)),
      poll: (task) =>
        task === 'task-old'
          ? new PixlockError('PROVIDER_TASK_LOST', 'recordInfo: 404 task not found')
          : undefined!,
    });
    provider.uploadReference = async (file) => {
      uploads.push(file);
      return `https://uploads.test/${uploads.length}.png`;
    };
    const manifest = manifestOf(1);
    manifest.images[0]!.references = ['./style.png', 'https://example.test/mood.jpg'];
    const plan = createPlan(manifest, { resumeTaskId: 'task-old', credits: 0 });
    const run = await drive(
      clock,
      runWithFakes({ manifest, provider, store, clock, lock: emptyLock(), plan }),
    );

    expect(run.results[0]?.error).toBeUndefined();
    expect(calls.create).toBe(1);
    expect(uploads).toEqual(['/project/style.png']);
    expect(created[0]?.references).toEqual([
      'https://example.test/mood.jpg',
      'https://uploads.test/1.png',
    ]);
  });
});
