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
  it('are made again or the loss is said plainly; the lock is whole, the mutex holds, nothing is paid twice', async () => {
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
          // Retried as `rm -rf` would be when an output's temporary file lands meanwhile.
          await rm(path.join(p.dir, '.pixlock'), { recursive: true, maxRetries: 20 });
          // A second run started now must still find the project busy.
          busy = await generate({ config: p.config, provider: inner, waitMs: 0 }).catch((e) => e);
        }
        return inner.pollTask(taskId, request, ctx);
      },
    };
    const result = await generate({ config: p.config, provider, concurrency: 1 });
    expect(deleted).toBeGreaterThan(0);
    expect(isPixlockError(busy, 'PROJECT_BUSY')).toBe(true);
    // A download already on its way into the deleted folder is lost: said plainly, with the
    // task kept recorded. Everything else lands.
    for (const r of result.run!.results.filter((r) => r.outcome === 'failed')) {
      expect(r.error?.message).toMatch(/the task stays recorded|run generate again/);
    }
    const lock = parseLock(await p.read('pixlock.lock'), 'pixlock.lock');
    const failed = result.run!.results.filter((r) => r.outcome === 'failed').map((r) => r.id);
    expect(Object.keys(lock.images).length + failed.length).toBe(3);
    for (const id of failed) expect(lock.pending[id]?.taskId).toEqual(expect.any(String));
    // The next run pays for nothing again: it resumes what was recorded.
    const next = countingProvider();
    const second = await generate({ config: p.config, provider: next.provider });
    expect(second.run?.counts.failed).toBe(0);
    expect(next.calls.create).toBe(0);
    const third = await generate({ config: p.config, provider: countingProvider().provider });
    expect(third.run?.counts.unchanged).toBe(3);
  });
});
