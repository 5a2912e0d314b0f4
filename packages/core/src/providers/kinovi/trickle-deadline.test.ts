import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fakeClock, type FakeClock } from '../../engine/test-utils/fake-clock.js';
import { ctx, kinoviClientHarness, request } from '../../test-utils/kinovi-client.js';
import type { ImageProvider, UrlOutput } from '../image-provider.js';

// The server trickles for real, over loopback; the deadlines run on a fake clock that only
// the test moves, so what is asserted is which event ends the call, never how long it took.
// Garbage is collected (forced) while the call hangs, as under memory pressure: the old
// AbortSignal.timeout inside AbortSignal.any was collected with its timer and never fired
// (issue 10). util/deadline.test.ts checks the real clock's timer survives collection.
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

/** Waits for `condition` on real events (the server's bytes arriving), not on a clock. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** `promise`, and whether it has settled yet. */
function watch(promise: Promise<unknown>) {
  const state = {
    settled: false,
    outcome: promise.then(
      () => undefined,
      (e: unknown) => e,
    ),
  };
  void state.outcome.then(() => (state.settled = true));
  return state;
}

async function finishedOutput(p: ImageProvider): Promise<UrlOutput> {
  const { taskId } = await p.createTask(request(), ctx);
  for (;;) {
    const status = await p.pollTask(taskId, request(), ctx);
    if (status.state === 'success') return status.output as UrlOutput;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Moves the fake clock to just before the timeout, collecting garbage: the call still hangs. */
async function justBefore(clock: FakeClock, call: { settled: boolean }): Promise<void> {
  for (let t = 0; t < TIMEOUT_MS - 1; t += 333) {
    gc();
    await clock.advance(Math.min(333, TIMEOUT_MS - 1 - t));
  }
  gc();
  expect(call.settled).toBe(false);
}

describe('deadlines on the injected clock, under garbage collection', () => {
  it('a download that sends headers, then 1 byte every 500 ms, ends at its timeout', async () => {
    const clock = fakeClock();
    const p = await kinovi.setup({}, { downloadTimeoutMs: TIMEOUT_MS }, { clock });
    const output = await finishedOutput(p);
    kinovi.fake!.injectOnce({ route: 'download', trickleBytesPerSecond: 2 });
    dir = await mkdtemp(path.join(tmpdir(), 'pixlock-trickle-'));
    const file = path.join(dir, 'out.download');
    const call = watch(p.download(output, file, ctx));
    // The headers came and the body is being written: the trickle is under way.
    await until(() => existsSync(file));
    await justBefore(clock, call);
    await clock.advance(1);
    expect(await call.outcome).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      message: expect.stringContaining(`did not finish within ${TIMEOUT_MS} ms`),
    });
    expect(await readdir(dir)).toEqual([]); // the partial file is gone
    expect(clock.pending).toBe(0);
  });

  it('a poll whose JSON body trickles ends at the request timeout', async () => {
    const clock = fakeClock();
    const p = await kinovi.setup(
      {},
      { requestTimeoutMs: TIMEOUT_MS, retry: { attempts: 1, baseMs: 1, capMs: 1 } },
      { clock },
    );
    const { taskId } = await p.createTask(request(), ctx);
    kinovi.fake!.injectOnce({ route: 'recordInfo', trickleBytesPerSecond: 2 });
    const polls = kinovi.fake!.stats.polls;
    const call = watch(p.pollTask(taskId, request(), ctx));
    await until(() => kinovi.fake!.stats.polls > polls);
    await justBefore(clock, call);
    await clock.advance(1);
    expect(await call.outcome).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      message: expect.stringContaining(`no answer within ${TIMEOUT_MS} ms`),
    });
  });

  it("the caller's signal (the engine's per-image deadline, Ctrl-C) still cuts a trickle short", async () => {
    const clock = fakeClock();
    const p = await kinovi.setup({}, { downloadTimeoutMs: 60_000 }, { clock });
    const output = await finishedOutput(p);
    kinovi.fake!.injectOnce({ route: 'download', trickleBytesPerSecond: 2 });
    dir = await mkdtemp(path.join(tmpdir(), 'pixlock-trickle-'));
    const file = path.join(dir, 'x');
    const caller = new AbortController();
    const reason = new Error('image deadline');
    const call = watch(p.download(output, file, { signal: caller.signal }));
    await until(() => existsSync(file));
    gc();
    caller.abort(reason);
    // Ended by the caller alone: the fake clock never moved, so the call's own 60 s timeout
    // cannot have fired, and its timer is gone.
    expect(await call.outcome).toBe(reason);
    expect(clock.pending).toBe(0);
    expect(await readdir(dir)).toEqual([]);
  });
});
