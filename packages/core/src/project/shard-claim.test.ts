import { describe, expect, it } from 'vitest';
import { isPixlockError } from '../errors.js';
import { countingProvider } from '../test-utils/temp-project.js';
import type { ImageProvider } from '../providers/image-provider.js';
import type { StoreProject } from '../test-utils/store-project.js';
import { generateShard, type GenerateShardOptions } from './generate-shard.js';
import { shardRunFolder } from './store-exchange.js';
import {
  parseShardLockText,
  RACE,
  SETTLE,
  shardLocks,
  storeRunners,
} from '../test-utils/store-runners.js';

const { project, runner } = storeRunners();

/** Shard `spec` (`i/n`) of store project `s` from the checkout whose manifest is `config`. */
function runShard(
  s: StoreProject,
  config: string,
  spec: `${number}/${number}`,
  provider: ImageProvider,
  timing: Partial<GenerateShardOptions> = SETTLE,
) {
  const [index, total] = spec.split('/').map(Number) as [number, number];
  return generateShard({ config, shard: { index, total }, provider, ...s.options, ...timing });
}

describe('CI shards with a store: two runners of one shard never both pay', () => {
  it('the same shard on two runners at once: one pays, the other is refused (SHARD_CLAIMED) and pays nothing', async () => {
    const s = await project();
    const runners = [countingProvider(), countingProvider()];
    const clones = [await runner(s), await runner(s)];
    const outcomes = await Promise.allSettled(
      clones.map((c, i) => runShard(s, c.config, '1/1', runners[i]!.provider, RACE)),
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
      const r = await runShard(s, refusedClone.config, '1/1', late.provider);
      expect(late.calls.create).toBe(0);
      expect(r.run?.counts.created).toBe(0);
    }
  });

  it('a store that honours If-None-Match refuses the second claim outright (412): nothing paid', async () => {
    const s = await project();
    const { provider, calls } = countingProvider();
    s.h.s3.inject({ op: 'put', keyIncludes: '.claim', status: 412 });
    const refused = await runShard(s, (await runner(s)).config, '1/1', provider).catch(
      (e: unknown) => e,
    );
    expect(isPixlockError(refused, 'SHARD_CLAIMED')).toBe(true);
    expect(calls.create).toBe(0);
  });

  it('a claim left by a runner that died refuses the shard, writing nothing; once released (or deleted) it is taken', async () => {
    const s = await project();
    const a = await runner(s);
    await runShard(s, a.config, '1/2', countingProvider().provider);
    const { meta } = parseShardLockText(await a.read('pixlock.shard-1-of-2.lock'));
    const claim = `team/site/${shardRunFolder(meta)}shard-2-of-2.claim`;
    const dead = { runner: 'f'.repeat(32), host: 'gone', since: '2026-01-01T00:00:00.000Z' };
    await s.h.s3.seed(claim, Buffer.from(JSON.stringify(dead)));
    const b = await runner(s);
    const { provider, calls } = countingProvider();
    const refused = await runShard(s, b.config, '2/2', provider).catch((e: unknown) => e);
    expect(isPixlockError(refused, 'SHARD_CLAIMED')).toBe(true);
    expect((refused as Error).message).toContain(
      `runner ${'f'.repeat(32)} on gone since 2026-01-01`,
    );
    expect((refused as Error).message).toContain(`delete s3://pixlock-test/${claim}`);
    expect(calls.create).toBe(0);
    expect(await shardLocks(b.dir)).toEqual([]);
    await s.h.s3.seed(claim, Buffer.from(JSON.stringify({ ...dead, released: true })));
    const taken = await runShard(s, b.config, '2/2', provider);
    expect(taken.run?.counts.created).toBeGreaterThan(0);
    expect(calls.create).toBe(taken.run?.counts.created);
  });

  it('a store that answers 501 to If-None-Match: the claim falls back to a plain put and a read back', async () => {
    const s = await project();
    const { provider, calls } = countingProvider();
    s.h.s3.inject({ op: 'put', keyIncludes: '.claim', status: 501 });
    const { run } = await runShard(s, (await runner(s)).config, '1/1', provider);
    expect(s.h.s3.pendingFaults).toBe(0);
    expect(run?.counts.created).toBe(3);
    expect(calls.create).toBe(3);
  });

  it('a runner whose claim took longer than the settle delay to land stops, nothing paid, and gives the claim up', async () => {
    const s = await project();
    const { provider, calls } = countingProvider();
    s.h.s3.inject({ op: 'put', keyIncludes: '.claim', delayMs: 600 });
    const b = await runner(s);
    const slow = await runShard(s, b.config, '1/1', provider, {
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
    const { run } = await runShard(s, b.config, '1/1', provider);
    expect(run?.counts.created).toBe(3);
  });

  it('a hostile claim in the store puts none of its text in the message', async () => {
    const s = await project();
    const a = await runner(s);
    await runShard(s, a.config, '1/2', countingProvider().provider);
    const { meta } = parseShardLockText(await a.read('pixlock.shard-1-of-2.lock'));
    const claim = `team/site/${shardRunFolder(meta)}shard-2-of-2.claim`;
    const hostile = { runner: 'x\u001b[2J AKIA-stolen', host: 'evil\nerror: forged', since: 'now' };
    await s.h.s3.seed(claim, Buffer.from(JSON.stringify(hostile)));
    const refused = await runShard(
      s,
      (await runner(s)).config,
      '2/2',
      countingProvider().provider,
    ).catch((e: unknown) => e);
    expect(isPixlockError(refused, 'SHARD_CLAIMED')).toBe(true);
    expect((refused as Error).message).toContain('claimed in the store by runner unknown (s3://');
    expect((refused as Error).message).not.toMatch(/stolen|evil|forged/);
    expect((refused as Error).message).not.toContain('\u001b');
  });
});
