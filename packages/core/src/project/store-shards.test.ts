import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isPixlockError } from '../errors.js';
import { lockObjects } from '../engine/stored-objects.js';
import { parseLock } from '../lock/parse-lock.js';
import type { Lockfile } from '../lock/lockfile.js';
import { countingProvider, type TempProject } from '../test-utils/temp-project.js';
import { check } from './check.js';
import { generate } from './generate.js';
import { generateShard } from './generate-shard.js';
import { mergeShards } from './merge-shards.js';
import { records, SETTLE, shardLocks, storeRunners } from '../test-utils/store-runners.js';

const { project, runner } = storeRunners();

async function lockOf(p: TempProject, name = 'pixlock.lock'): Promise<Lockfile> {
  return parseLock(await p.read(name), name);
}

describe('CI shards with a store: publish, merge from the store, resume', () => {
  it('shards on their own clones publish; merge collects from the store; a fresh clone restores and checks', async () => {
    const s = await project();
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
    const s = await project();
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

  it('a second runner that read before the first published, and claimed after, stops paying nothing (exit 75)', async () => {
    const s = await project();
    const first = countingProvider();
    const a = await runner(s);
    await generateShard({
      config: a.config,
      shard: { index: 1, total: 2 },
      provider: first.provider,
      ...s.options,
      ...SETTLE,
    });
    // The second runner's reads of the published lock (one before its mutex, one under it)
    // answer as if the first had not published yet (it started a moment earlier); its claim
    // then finds the claim released.
    s.h.s3.inject({
      op: 'get',
      keyIncludes: 'shard-1-of-2.lock',
      status: 404,
      code: 'NoSuchKey',
      times: 2,
    });
    const second = countingProvider();
    const b = await runner(s);
    const refused = await generateShard({
      config: b.config,
      shard: { index: 1, total: 2 },
      provider: second.provider,
      ...s.options,
      ...SETTLE,
    }).catch((e: unknown) => e);
    expect(s.h.s3.pendingFaults).toBe(0);
    expect(isPixlockError(refused, 'SHARD_CLAIMED')).toBe(true);
    expect((refused as Error).message).toMatch(/published by another runner.*nothing was paid/);
    expect(second.calls.create).toBe(0);
    // Run again, it takes the published lock and pays nothing.
    const again = await generateShard({
      config: b.config,
      shard: { index: 1, total: 2 },
      provider: second.provider,
      ...s.options,
      ...SETTLE,
    });
    expect(second.calls.create).toBe(0);
    expect(again.run?.counts.created).toBe(0);
  });

  it('the same shard on a second runner after the first published resumes from the store, paying nothing', async () => {
    const s = await project();
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

  it('merge with no shard lock beside the manifest nor in the store says where it looked, writing nothing', async () => {
    const s = await project();
    const merger = await runner(s);
    const refused = await mergeShards({ config: merger.config, env: s.env }).catch(
      (e: unknown) => e,
    );
    expect(isPixlockError(refused, 'SHARDS_MISMATCH')).toBe(true);
    expect((refused as Error).message).toMatch(
      /no shard locks to merge: none beside .*pixlock\.yaml, and none published in s3:\/\/pixlock-test\/team\/site\/shards\/[0-9a-f]{64}\/ for this manifest/,
    );
    expect(existsSync(`${merger.dir}/pixlock.lock`)).toBe(false);
  });
});
