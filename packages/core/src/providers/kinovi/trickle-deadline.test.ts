import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ctx, kinoviClientHarness, request } from '../../test-utils/kinovi-client.js';
import type { TaskOutput } from '../image-provider.js';

// A real, forced garbage collection, as under memory pressure: the old AbortSignal.timeout
// inside AbortSignal.any was collected with its timer and never fired (issue 10). The flag
// set at run time gives each new context a `gc` function; no vitest pool option needed.
let gc: () => void;
beforeAll(() => {
  setFlagsFromString('--expose-gc');
  gc = runInNewContext('gc') as () => void;
});

const KEY = 'sk-live-trickle-3c9d';
const kinovi = kinoviClientHarness(KEY);
const TIMEOUT_MS = 3000;
let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Runs `work` while collecting garbage every 100 ms; resolves with its outcome and duration. */
async function underGc(work: () => Promise<unknown>) {
  const timer = setInterval(() => gc(), 100);
  const started = performance.now();
  try {
    const error = await work().then(
      () => undefined,
      (e: unknown) => e,
    );
    return { error, ms: performance.now() - started };
  } finally {
    clearInterval(timer);
  }
}

async function finishedOutput(p: Awaited<ReturnType<typeof kinovi.setup>>): Promise<TaskOutput> {
  const { taskId } = await p.createTask(request(), ctx);
  for (;;) {
    const status = await p.pollTask(taskId, request(), ctx);
    if (status.state === 'success') return status.output;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('deadlines that fire under garbage collection', () => {
  it('a download that sends headers, then 1 byte every 500 ms, ends at its timeout', async () => {
    const p = await kinovi.setup({}, { downloadTimeoutMs: TIMEOUT_MS });
    const output = await finishedOutput(p);
    kinovi.fake!.injectOnce({ route: 'download', trickleBytesPerSecond: 2 });
    dir = await mkdtemp(path.join(tmpdir(), 'pixlock-trickle-'));
    const file = path.join(dir, 'out.download');
    const { error, ms } = await underGc(() => p.download(output, file, ctx));
    expect(error).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      message: expect.stringContaining(`did not finish within ${TIMEOUT_MS} ms`),
    });
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    expect(ms).toBeLessThan(TIMEOUT_MS * 1.1);
    expect(await readdir(dir)).toEqual([]); // the partial file is gone
  });

  it('a poll whose JSON body trickles ends at the request timeout', async () => {
    const p = await kinovi.setup(
      {},
      { requestTimeoutMs: TIMEOUT_MS, retry: { attempts: 1, baseMs: 1, capMs: 1 } },
    );
    const { taskId } = await p.createTask(request(), ctx);
    kinovi.fake!.injectOnce({ route: 'recordInfo', trickleBytesPerSecond: 2 });
    const { error, ms } = await underGc(() => p.pollTask(taskId, request(), ctx));
    expect(error).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      message: expect.stringContaining(`no answer within ${TIMEOUT_MS} ms`),
    });
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    expect(ms).toBeLessThan(TIMEOUT_MS * 1.1);
  });

  it("the caller's signal (the engine's per-image deadline, Ctrl-C) still cuts a trickle short", async () => {
    const p = await kinovi.setup({}, { downloadTimeoutMs: 60_000 });
    const output = await finishedOutput(p);
    kinovi.fake!.injectOnce({ route: 'download', trickleBytesPerSecond: 2 });
    dir = await mkdtemp(path.join(tmpdir(), 'pixlock-trickle-'));
    const caller = new AbortController();
    const reason = new Error('image deadline');
    setTimeout(() => caller.abort(reason), 300);
    const { error, ms } = await underGc(() =>
      p.download(output, path.join(dir!, 'x'), { signal: caller.signal }),
    );
    expect(error).toBe(reason);
    // Cut short by the caller at 300 ms, far from the call's own 60 s timeout. (The bound is
    // wide on purpose: under load the abort can land a few hundred ms late, and what matters
    // here is that the caller's signal ends the trickle at all.)
    expect(ms).toBeGreaterThanOrEqual(295);
    expect(ms).toBeLessThan(5_000);
  });
});
