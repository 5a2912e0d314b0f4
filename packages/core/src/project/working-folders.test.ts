import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isPixlockError } from '../errors.js';
import { parseLock } from '../lock/parse-lock.js';
import type { ImageProvider } from '../providers/image-provider.js';
import {
  countingProvider,
  SMALL_MANIFEST,
  tempProject,
  type TempProject,
} from '../test-utils/temp-project.js';
import { generate } from './generate.js';

let project: TempProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

describe('working folders deleted mid-run', () => {
  it('are made again, every image lands, the lock is whole, and the mutex still holds', async () => {
    project = await tempProject({ 'pixlock.yaml': SMALL_MANIFEST });
    const p = project;
    const inner = countingProvider().provider;
    let busy: unknown;
    let deleted = 0;
    // Once the first image is done and in the journal: the user runs `rm -rf .pixlock`.
    const provider: ImageProvider = {
      ...inner,
      async pollTask(taskId, request, ctx) {
        if (request.id === 'icons/star' && deleted++ === 0) {
          await rm(path.join(p.dir, '.pixlock'), { recursive: true });
          // A second run started now must still find the project busy.
          busy = await generate({ config: p.config, provider: inner, waitMs: 0 }).catch((e) => e);
        }
        return inner.pollTask(taskId, request, ctx);
      },
    };
    const result = await generate({ config: p.config, provider, concurrency: 1 });
    expect(deleted).toBeGreaterThan(0);
    expect(isPixlockError(busy, 'PROJECT_BUSY')).toBe(true);
    expect(result.run?.counts.failed).toBe(0);
    const lock = parseLock(await p.read('pixlock.lock'), 'pixlock.lock');
    expect(Object.keys(lock.images).sort()).toEqual(['card', 'hero', 'icons/star']);
    expect(lock.pending).toEqual({});
    // Nothing to redo: the lock and the files agree.
    const again = await generate({ config: p.config, provider: countingProvider().provider });
    expect(again.run?.counts.unchanged).toBe(3);
  });
});
