import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isPixlockError } from '../../errors.js';
import type { UrlOutput } from '../image-provider.js';
import { ctx, kinoviClientHarness, request } from '../../test-utils/kinovi-client.js';

// What the engine relies on: every transient fault a poll or a download can meet comes out
// as a code it retries until the image's timeout, never as "this image failed".
const KEY = 'sk-live-classes-81b0';
const kinovi = kinoviClientHarness(KEY);
let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('transient faults are classified retryable', () => {
  it('every poll fault (500, reset, malformed JSON, HTML, 429)', async () => {
    const p = await kinovi.setup({}, { retry: { attempts: 1, baseMs: 1, capMs: 1 } });
    const { taskId } = await p.createTask(request(), ctx);
    kinovi.fake!.configure({ pollFaultRate: 1, retryAfterSeconds: 0 });
    const codes = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const error = await p.pollTask(taskId, request(), ctx).catch((e: unknown) => e);
      expect(isPixlockError(error)).toBe(true);
      codes.add((error as { code: string }).code);
    }
    expect(codes).toEqual(new Set(['PROVIDER_UNAVAILABLE', 'PROVIDER_RATE_LIMITED']));
    expect(kinovi.fake!.stats.pollFaults).toBe(40);
  });

  it('every download fault (500, reset, truncated, HTML page)', async () => {
    const p = await kinovi.setup();
    const { taskId } = await p.createTask(request(), ctx);
    let status = await p.pollTask(taskId, request(), ctx);
    while (status.state === 'pending') status = await p.pollTask(taskId, request(), ctx);
    if (status.state !== 'success') throw new Error('expected a success');
    kinovi.fake!.configure({ downloadFaultRate: 1 });
    dir = await mkdtemp(path.join(tmpdir(), 'pixlock-classes-'));
    const codes = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const error = await p
        .download(status.output as UrlOutput, path.join(dir, `f${i}`), ctx)
        .catch((e: unknown) => e);
      codes.add((error as { code: string }).code);
    }
    expect(codes).toEqual(new Set(['PROVIDER_UNAVAILABLE', 'DOWNLOAD_INVALID']));
    expect(kinovi.fake!.stats.downloadFaults).toBe(30);
  });
});
