import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { isPixlockError } from '../errors.js';
import { lockObjects } from '../engine/stored-objects.js';
import { parseLock } from '../lock/parse-lock.js';
import { parseShardLock } from '../shard/shard-lock.js';
import type { Lockfile } from '../lock/lockfile.js';
import { countingProvider, tempProject, type TempProject } from '../test-utils/temp-project.js';
import { check } from './check.js';
import { generate } from './generate.js';
import { generateShard } from './generate-shard.js';
import { mergeShards } from './merge-shards.js';
import { shardRunFolder } from './store-exchange.js';
import { storeProject, type StoreProject } from './test-utils/store-project.js';

let s: StoreProject | undefined;
let runners: TempProject[] = [];
afterEach(async () => {
  await s?.close();
  s = undefined;
  await Promise.all(runners.map((r) => r.cleanup()));
  runners = [];
});

/** A runner's checkout before any run: the manifest alone (no lock yet). */
async function runner(s: StoreProject): Promise<TempProject> {
  const p = await tempProject({ 'pixlock.yaml': await s.p.read('pixlock.yaml') });
  runners.push(p);
  return p;
}

/**
 * Where no second runner races: the claim's settle delay is slept at once, and is long enough
 * that no claim counts as slow.
 */
const SETTLE = {
  claimSettleMs: 60_000,
  claimClock: { now: () => new Date(), sleep: () => Promise.resolve() },
};
/** Two runners racing: a real second for the other's claim to land before it is read back. */
const RACE = { claimSettleMs: 1000 };

async function lockOf(project: TempProject, name = 'pixlock.lock'): Promise<Lockfile> {
  return parseLock(await project.read(name), name);
}

function parseShardLockText(text: string) {
  return parseShardLock(text, 'pixlock.shard.lock', 'generated');
}

async function shardLocks(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.startsWith('pixlock.shard-')).sort();
}

/** The shard records the store holds below `shards/`. */
async function records(s: StoreProject): Promise<string[]> {
  const folders = await s.h.store.records.list('shards/');
  return folders.map((p) => p.replace(/^shards\/[0-9a-f]{64}\//, '')).sort();
}

describe('CI shards with a store', () => {
  it('shards on their own clones publish; merge collects from the store; a fresh clone restores and checks', async () => {
    s = await storeProject();
    const { provider, calls } = countingProvider();
    const clones = [await runner(s), await runner(s)];
    // Each shard on a runner of its own: a clone holding only the manifest (no lock yet).
    for (const [i, clone] of clones.entries()) {
      await generateShard({
        config: clone.config,
        shard: { index: i + 1, total: 2 },
        provider,
        ...s.options,
        ...SETTLE,
      });
    }
    expect(calls.create).toBe(3);
    expect(await records(s)).toEqual([
      'pixlock.shard-1-of-2.lock',
      'pixlock.shard-2-of-2.lock',
      'shard-1-of-2.claim',
      'shard-2-of-2.claim',
    ]);
    // The merge runner: a fresh checkout, no artifacts beside the manifest.
    const merger = await runner(s);
    expect(await shardLocks(merger.dir)).toEqual([]);
    const merged = await mergeShards({ config: merger.config, env: s.env });
    expect(merged.shards.map((f) => f.file)).toEqual([
      expect.stringMatching(
        /^s3:\/\/pixlock-test\/team\/site\/shards\/[0-9a-f]{64}\/pixlock\.shard-1-of-2\.lock$/,
      ),
      expect.stringMatching(/pixlock\.shard-2-of-2\.lock$/),
    ]);
    const lock = await lockOf(merger);
    expect(Object.keys(lock.images).sort()).toEqual(['card', 'hero', 'icons/star']);
    for (const o of lockObjects(lock, true)) expect(await s.holds(o)).toBe(true);
    // The store keeps its records (the next run has another lock, so another folder).
    expect(await records(s)).toHaveLength(4);
    const { run } = await generate({ config: merger.config, frozen: true, ...s.options });
    expect(run?.counts.restored).toBe(3);
    expect((await check(merger.config)).ok).toBe(true);
    expect(calls.create).toBe(3);
  });

  it('a shard whose store fails mid-push exits with what it did not push; the rerun pushes, paying nothing again', async () => {
    s = await storeProject();
    const { provider, calls } = countingProvider();
    // Originals go in; every output upload is refused.
    s.h.s3.inject({ op: 'put', keyIncludes: '/outputs/', status: 403, times: 1000 });
    const failed = await generateShard({
      config: s.p.config,
      shard: { index: 1, total: 1 },
      provider,
      ...s.options,
      ...SETTLE,
    }).catch((e: unknown) => e);
    expect(isPixlockError(failed, 'STORE_UNPUSHED')).toBe(true);
    expect((failed as Error).message).toMatch(
      /shard 1\/1: \d+ of \d+ objects its lock names could not be pushed to s3:\/\/pixlock-test\/team\/site, so its lock was not published/,
    );
    expect((failed as Error).message).toMatch(
      /generated\/hero-320\.webp \(outputs\/[0-9a-f]{64}\): STORE_DENIED/,
    );
    expect(calls.create).toBe(3);
    // Its lock is beside the manifest, not in the store; what is unpushed is journaled.
    expect(await shardLocks(s.p.dir)).toEqual(['pixlock.shard-1-of-1.lock']);
    expect(await records(s)).toEqual(['shard-1-of-1.claim']);
    expect(existsSync(`${s.p.dir}/.pixlock/unpushed-shard-1-of-1.jsonl`)).toBe(true);
    // The failed run gave its claim up: a retry on another runner could take the shard.
    const [claim] = (await s.h.store.records.list('shards/')).filter((p) => p.endsWith('.claim'));
    expect(JSON.parse((await s.h.store.records.read(claim!))!)).toMatchObject({ released: true });
    s.h.s3.clearFaults();
    const puts = s.h.s3.stats.requests.put;
    const rerun = await generateShard({
      config: s.p.config,
      shard: { index: 1, total: 1 },
      provider,
      ...s.options,
      ...SETTLE,
    });
    expect(calls.create).toBe(3);
    expect(rerun.run?.unpushed).toBeUndefined();
    const lock = await lockOf(s.p, 'pixlock.shard-1-of-1.lock');
    const outputs = lockObjects(lock, true).filter((o) => o.kind === 'outputs');
    for (const o of lockObjects(lock, true)) expect(await s.holds(o)).toBe(true);
    // Only the outputs were uploaded (each once), then the lock (the claim was given up).
    expect(s.h.s3.stats.requests.put - puts).toBe(outputs.length + 1);
    expect(await records(s)).toEqual(['pixlock.shard-1-of-1.lock', 'shard-1-of-1.claim']);
    expect(existsSync(`${s.p.dir}/.pixlock/unpushed-shard-1-of-1.jsonl`)).toBe(false);
  });

  it('the same shard on a second runner after the first published resumes from the store, paying nothing', async () => {
    s = await storeProject();
    const first = countingProvider();
    const a = await runner(s);
    await generateShard({
      config: a.config,
      shard: { index: 1, total: 2 },
      provider: first.provider,
      ...s.options,
      ...SETTLE,
    });
    const second = countingProvider();
    const b = await runner(s);
    const again = await generateShard({
      config: b.config,
      shard: { index: 1, total: 2 },
      provider: second.provider,
      ...s.options,
      ...SETTLE,
    });
    expect(first.calls.create).toBeGreaterThan(0);
    expect(second.calls.create).toBe(0);
    expect(again.run?.counts.created).toBe(0);
    expect(await b.read('pixlock.shard-1-of-2.lock')).toBe(
      await a.read('pixlock.shard-1-of-2.lock'),
    );
  });

  it('the same shard on two runners at once: one pays, the other is refused (SHARD_CLAIMED) and pays nothing', async () => {
    s = await storeProject();
    const runners = [countingProvider(), countingProvider()];
    const clones = [await runner(s), await runner(s)];
    const outcomes = await Promise.allSettled(
      clones.map((c, i) =>
        generateShard({
          config: c.config,
          shard: { index: 1, total: 1 },
          provider: runners[i]!.provider,
          ...s!.options,
          ...RACE,
        }),
      ),
    );
    const refused = outcomes.filter((o) => o.status === 'rejected');
    // Both found the shard unclaimed and wrote a claim (s3rver ignores If-None-Match); each
    // read back the last one after the settle: exactly one went on.
    expect(refused).toHaveLength(1);
    expect(runners[0]!.calls.create + runners[1]!.calls.create).toBe(3);
    for (const r of refused) {
      expect(isPixlockError(r.reason, 'SHARD_CLAIMED')).toBe(true);
      expect((r.reason as Error).message).toMatch(
        /shard 1\/1 of this manifest and lock is claimed in the store by runner [0-9a-f]{32} on .* since .*Nothing was paid/,
      );
    }
    const refusedClone = clones[outcomes.findIndex((o) => o.status === 'rejected')];
    // A refused runner wrote no shard lock: its next run picks up what the first published.
    if (refusedClone) {
      expect(await shardLocks(refusedClone.dir)).toEqual([]);
      const late = countingProvider();
      const r = await generateShard({
        config: refusedClone.config,
        shard: { index: 1, total: 1 },
        provider: late.provider,
        ...s.options,
        ...SETTLE,
      });
      expect(late.calls.create).toBe(0);
      expect(r.run?.counts.created).toBe(0);
    }
  });

  it('a store that honours If-None-Match refuses the second claim outright (412): nothing paid', async () => {
    s = await storeProject();
    const { provider, calls } = countingProvider();
    s.h.s3.inject({ op: 'put', keyIncludes: '.claim', status: 412 });
    const refused = await generateShard({
      config: (await runner(s)).config,
      shard: { index: 1, total: 1 },
      provider,
      ...s.options,
      ...SETTLE,
    }).catch((e: unknown) => e);
    expect(isPixlockError(refused, 'SHARD_CLAIMED')).toBe(true);
    expect(calls.create).toBe(0);
  });

  it('a claim left by a runner that died refuses the shard, writing nothing; once released (or deleted) it is taken', async () => {
    s = await storeProject();
    const a = await runner(s);
    await generateShard({
      config: a.config,
      shard: { index: 1, total: 2 },
      provider: countingProvider().provider,
      ...s.options,
      ...SETTLE,
    });
    const { meta } = parseShardLockText(await a.read('pixlock.shard-1-of-2.lock'));
    const claim = `team/site/${shardRunFolder(meta)}shard-2-of-2.claim`;
    const dead = { runner: 'f'.repeat(32), host: 'gone', since: '2026-01-01T00:00:00.000Z' };
    await s.h.s3.seed(claim, Buffer.from(JSON.stringify(dead)));
    const b = await runner(s);
    const { provider, calls } = countingProvider();
    const refused = await generateShard({
      config: b.config,
      shard: { index: 2, total: 2 },
      provider,
      ...s.options,
      ...SETTLE,
    }).catch((e: unknown) => e);
    expect(isPixlockError(refused, 'SHARD_CLAIMED')).toBe(true);
    expect((refused as Error).message).toContain(
      `runner ${'f'.repeat(32)} on gone since 2026-01-01`,
    );
    expect((refused as Error).message).toContain(`delete s3://pixlock-test/${claim}`);
    expect(calls.create).toBe(0);
    expect(await shardLocks(b.dir)).toEqual([]);
    await s.h.s3.seed(claim, Buffer.from(JSON.stringify({ ...dead, released: true })));
    const taken = await generateShard({
      config: b.config,
      shard: { index: 2, total: 2 },
      provider,
      ...s.options,
      ...SETTLE,
    });
    expect(taken.run?.counts.created).toBeGreaterThan(0);
    expect(calls.create).toBe(taken.run?.counts.created);
  });

  it('a store that answers 501 to If-None-Match: the claim falls back to a plain put and a read back', async () => {
    s = await storeProject();
    const { provider, calls } = countingProvider();
    s.h.s3.inject({ op: 'put', keyIncludes: '.claim', status: 501 });
    const { run } = await generateShard({
      config: (await runner(s)).config,
      shard: { index: 1, total: 1 },
      provider,
      ...s.options,
      ...SETTLE,
    });
    expect(s.h.s3.pendingFaults).toBe(0);
    expect(run?.counts.created).toBe(3);
    expect(calls.create).toBe(3);
  });

  it('a runner whose claim took longer than the settle delay to land stops, nothing paid, and gives the claim up', async () => {
    s = await storeProject();
    const { provider, calls } = countingProvider();
    s.h.s3.inject({ op: 'put', keyIncludes: '.claim', delayMs: 600 });
    const b = await runner(s);
    const slow = await generateShard({
      config: b.config,
      shard: { index: 1, total: 1 },
      provider,
      ...s.options,
      ...SETTLE,
      claimSettleMs: 300,
    }).catch((e: unknown) => e);
    expect(isPixlockError(slow, 'SHARD_CLAIMED')).toBe(true);
    expect((slow as Error).message).toMatch(
      /could not claim shard 1\/1 in the store: its claim \(s3:.*\.claim\) took \d+ ms to be taken, longer than the 300 ms/,
    );
    expect(calls.create).toBe(0);
    expect(await shardLocks(b.dir)).toEqual([]);
    const [claim] = (await s.h.store.records.list('shards/')).filter((p) => p.endsWith('.claim'));
    expect(JSON.parse((await s.h.store.records.read(claim!))!)).toMatchObject({ released: true });
    // Run again (the store quick now): it takes the shard.
    const { run } = await generateShard({
      config: b.config,
      shard: { index: 1, total: 1 },
      provider,
      ...s.options,
      ...SETTLE,
    });
    expect(run?.counts.created).toBe(3);
  });

  it('a hostile claim in the store puts none of its text in the message', async () => {
    s = await storeProject();
    const a = await runner(s);
    await generateShard({
      config: a.config,
      shard: { index: 1, total: 2 },
      provider: countingProvider().provider,
      ...s.options,
      ...SETTLE,
    });
    const { meta } = parseShardLockText(await a.read('pixlock.shard-1-of-2.lock'));
    const claim = `team/site/${shardRunFolder(meta)}shard-2-of-2.claim`;
    const hostile = { runner: 'x\u001b[2J AKIA-stolen', host: 'evil\nerror: forged', since: 'now' };
    await s.h.s3.seed(claim, Buffer.from(JSON.stringify(hostile)));
    const refused = await generateShard({
      config: (await runner(s)).config,
      shard: { index: 2, total: 2 },
      provider: countingProvider().provider,
      ...s.options,
      ...SETTLE,
    }).catch((e: unknown) => e);
    expect(isPixlockError(refused, 'SHARD_CLAIMED')).toBe(true);
    expect((refused as Error).message).toContain('claimed in the store by runner unknown (s3://');
    expect((refused as Error).message).not.toMatch(/stolen|evil|forged/);
    expect((refused as Error).message).not.toContain('\u001b');
  });
});
