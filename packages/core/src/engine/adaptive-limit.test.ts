import { describe, expect, it } from 'vitest';
import { AdaptiveLimit, type Permit } from './adaptive-limit.js';

const tick = () => new Promise((r) => setImmediate(r));

/** Acquires without awaiting, to see which requests are granted. */
let granted = 0;
function request(limit: AdaptiveLimit) {
  const state: { permit?: Permit; order?: number } = {};
  void limit.acquire().then((p) => {
    state.permit = p;
    state.order = granted++;
  });
  return state;
}

describe('AdaptiveLimit', () => {
  it('starts at `initial` and grows one probe at a time while creates are accepted', async () => {
    const limit = new AdaptiveLimit(8, { initial: 2 });
    const reqs = Array.from({ length: 5 }, () => request(limit));
    await tick();
    // Two slots and one probe: never two probes at once.
    expect(reqs.filter((r) => r.permit).length).toBe(3);
    reqs[0]!.permit!.accepted();
    reqs[1]!.permit!.accepted();
    await tick();
    expect(reqs.filter((r) => r.permit).length).toBe(3);
    reqs[2]!.permit!.accepted(); // the probe
    await tick();
    expect(limit.target).toBe(3);
    expect(reqs.filter((r) => r.permit).length).toBe(4);
  });

  it('a 429 drops the target to the other tasks in flight and the retry waits for one of ours to end', async () => {
    const limit = new AdaptiveLimit(16, { initial: 4 });
    const first = await Promise.all([1, 2, 3, 4].map(() => limit.acquire()));
    first[0]!.accepted();
    first[1]!.accepted();
    first[2]!.accepted();
    expect(first[3]!.rateLimited()).toBe(true);
    expect(limit.target).toBe(3);
    const retry = request(limit);
    await tick();
    expect(retry.permit).toBeUndefined();
    first[0]!.release();
    await tick();
    expect(retry.permit).toBeDefined();
  });

  it('says when none of ours is running, so the caller waits for Retry-After', async () => {
    const limit = new AdaptiveLimit(4);
    const permit = await limit.acquire();
    expect(permit.rateLimited()).toBe(false);
    expect(limit.target).toBe(1);
  });

  it('probes rarely once a limit is known, one probe at a time, the gap doubling', async () => {
    const limit = new AdaptiveLimit(8, { initial: 2, probeEvery: 2 });
    const held = [await limit.acquire(), await limit.acquire()];
    held.forEach((p) => p.accepted());
    (await limit.acquire()).rateLimited(); // the first probe finds the limit: 2
    expect(limit.target).toBe(2);
    // Two requests always waiting; each completion frees a slot. A permit granted while the
    // slots are full is a probe, and the server refuses it.
    const waiting = [request(limit), request(limit)];
    const probesAt: number[] = [];
    for (let done = 1; done <= 24; done++) {
      held.shift()!.release();
      await tick();
      // Newest first: when a probe was granted it is the last one.
      for (const r of waiting.filter((w) => w.permit).sort((x, y) => y.order! - x.order!)) {
        waiting.splice(waiting.indexOf(r), 1);
        if (limit.inFlight > limit.target) {
          probesAt.push(done);
          r.permit!.rateLimited();
        } else {
          r.permit!.accepted();
          held.push(r.permit!);
        }
        waiting.push(request(limit));
      }
      await tick();
    }
    // 2 x 2 completions per slot, doubled after the first failed probe, then doubled again.
    expect(probesAt).toEqual([8, 24]);
  });

  it('honours abort while waiting and validates its arguments', async () => {
    const limit = new AdaptiveLimit(1, { initial: 1 });
    await limit.acquire();
    const controller = new AbortController();
    const waiting = limit.acquire(controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    expect(() => new AdaptiveLimit(0)).toThrow(TypeError);
    expect(() => new AdaptiveLimit(4, { initial: 5 })).toThrow(TypeError);
  });
});
