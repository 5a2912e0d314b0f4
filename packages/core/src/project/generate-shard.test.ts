import { readdir } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { isPixlockError } from '../errors.js';
import { parseLock } from '../lock/parse-lock.js';
import { countingProvider, tempProject, type TempProject } from '../test-utils/temp-project.js';
import { check } from './check.js';
import { generate } from './generate.js';
import { generateShard } from './generate-shard.js';
import { mergeShards } from './merge-shards.js';

/**
 * Twelve images, seeds pinned (a drawn image is then the same bytes in any run), three of
 * them built on others: components of 1 to 3 images.
 */
export const SHARDED_MANIFEST = `version: 1
provider: { name: placeholder }
outDir: generated
defaults:
  resolution: 1k
  aspectRatio: "1:1"
  output: { formats: [webp, png], widths: [24, 48] }
images:
${Array.from({ length: 12 }, (_, i) => {
  const refs =
    i === 3
      ? '\n    references: [{ image: p/0 }]'
      : i === 4
        ? '\n    references: [{ image: p/3 }, { image: p/1 }]'
        : i === 9
          ? '\n    references: [{ image: p/8 }]'
          : '';
  return `  p/${i}:\n    prompt: picture ${i}\n    seed: ${i + 1}${refs}`;
}).join('\n')}
`;

let projects: TempProject[] = [];
afterEach(async () => {
  await Promise.all(projects.map((p) => p.cleanup()));
  projects = [];
});

async function project(files: Record<string, string> = { 'pixlock.yaml': SHARDED_MANIFEST }) {
  const p = await tempProject(files);
  projects.push(p);
  return p;
}

/** The lock's text with each `generatedAt` blanked: the one field a time of arrival sets. */
function timeless(text: string): string {
  return text.replace(/generatedAt: .*/g, 'generatedAt: -');
}

async function shardFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.startsWith('pixlock.shard-')).sort();
}

describe('generate --shard and merge', () => {
  it('4 shards side by side in one folder, merged, give the lock one run gives', async () => {
    const single = await project();
    await generate({ config: single.config });
    const sharded = await project();
    const counting = countingProvider();
    const results = await Promise.all(
      [1, 2, 3, 4].map((index) =>
        generateShard({
          config: sharded.config,
          shard: { index, total: 4 },
          provider: counting.provider,
        }),
      ),
    );
    // Each image drawn once, by one shard; the references' components whole.
    expect(counting.calls.createdIds.sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `p/${i}`).sort(),
    );
    const owner = new Map(
      results.flatMap((r) => r.shard.images.map((id) => [id, r.shard.spec.index])),
    );
    expect(owner.get('p/3')).toBe(owner.get('p/0'));
    expect(owner.get('p/4')).toBe(owner.get('p/1'));
    expect(owner.get('p/9')).toBe(owner.get('p/8'));
    // No shard wrote pixlock.lock; each wrote its own.
    expect(await shardFiles(sharded.dir)).toEqual(
      [1, 2, 3, 4].map((i) => `pixlock.shard-${i}-of-4.lock`),
    );
    await expect(sharded.read('pixlock.lock')).rejects.toThrow(/ENOENT/);

    const merged = await mergeShards({ config: sharded.config });
    expect(merged.shards.map((s) => s.index)).toEqual([1, 2, 3, 4]);
    expect(await shardFiles(sharded.dir)).toEqual([]);
    const one = await single.read('pixlock.lock');
    const four = await sharded.read('pixlock.lock');
    expect(timeless(four)).toBe(timeless(one));
    expect(four).not.toBe(timeless(four));
    expect((await check(sharded.config)).ok).toBe(true);
    // Merging again finds nothing to merge.
    await expect(mergeShards({ config: sharded.config })).rejects.toSatisfy(
      (e) => isPixlockError(e, 'SHARDS_MISMATCH') && /no shard locks/.test(e.message),
    );
  });

  it('writes its lock even with nothing to do, and a rerun of a finished shard pays nothing', async () => {
    const p = await project();
    const first = countingProvider();
    await generateShard({
      config: p.config,
      shard: { index: 2, total: 3 },
      provider: first.provider,
    });
    const again = countingProvider();
    const rerun = await generateShard({
      config: p.config,
      shard: { index: 2, total: 3 },
      provider: again.provider,
    });
    expect(again.calls.create).toBe(0);
    expect(rerun.plan.entries.every((e) => e.action === 'unchanged')).toBe(true);
    const text = await p.read('pixlock.shard-2-of-3.lock');
    const lock = parseLock(text, 'x');
    expect(Object.keys(lock.images).sort()).toEqual(rerun.shard.images);
    expect(text).toMatch(/^shard:\n {2}index: 2\n {2}total: 3\n/m);
  });

  it('refuses a whole run while shard locks are not merged, writing nothing', async () => {
    const p = await project();
    await generateShard({ config: p.config, shard: { index: 1, total: 2 } });
    await expect(generate({ config: p.config })).rejects.toSatisfy(
      (e) => isPixlockError(e, 'SHARDS_UNMERGED') && /pixlock.shard-1-of-2.lock/.test(e.message),
    );
    await expect(p.read('pixlock.lock')).rejects.toThrow(/ENOENT/);
  });

  it('refuses to merge when a shard is missing, unless --partial; then the rest keep nothing', async () => {
    const p = await project();
    const r = await generateShard({ config: p.config, shard: { index: 1, total: 2 } });
    await expect(mergeShards({ config: p.config })).rejects.toSatisfy(
      (e) =>
        isPixlockError(e, 'SHARDS_MISMATCH') &&
        /1 shard is missing: 2\/2 \(merging .*pixlock.shard-1-of-2.lock\)/.test(e.message),
    );
    await expect(p.read('pixlock.lock')).rejects.toThrow(/ENOENT/);
    await mergeShards({ config: p.config, partial: true });
    const lock = parseLock(await p.read('pixlock.lock'), 'x');
    expect(Object.keys(lock.images).sort()).toEqual(r.shard.images);
    // The other shard's images are still to do; a whole run does them.
    const rest = await generate({ config: p.config });
    expect(rest.run?.counts.created).toBe(12 - r.shard.images.length);
  });

  it('refuses an earlier run of the shard against another manifest, keeping what it holds', async () => {
    const p = await project();
    await generateShard({ config: p.config, shard: { index: 1, total: 2 } });
    const before = await p.read('pixlock.shard-1-of-2.lock');
    await p.write('pixlock.yaml', SHARDED_MANIFEST.replace('picture 5', 'picture five'));
    await expect(
      generateShard({ config: p.config, shard: { index: 1, total: 2 } }),
    ).rejects.toSatisfy(
      (e) =>
        isPixlockError(e, 'SHARDS_MISMATCH') &&
        /against another manifest.*merge --partial/.test(e.message),
    );
    expect(await p.read('pixlock.shard-1-of-2.lock')).toBe(before);
    // merge --partial keeps its images as they were made; the plan then redoes what changed.
    const merged = await mergeShards({ config: p.config, partial: true });
    expect(merged.manifestChanged).toBe(true);
    const mine = merged.shards[0]!.images;
    const lock = parseLock(await p.read('pixlock.lock'), 'x');
    expect(Object.keys(lock.images)).toHaveLength(mine);
    const rest = await generate({ config: p.config });
    const redo = Object.keys(lock.images).includes('p/5') ? 1 : 0;
    expect(rest.run?.counts.created).toBe(12 - mine);
    expect(rest.run?.counts.regenerated).toBe(redo);
  });
});
