import { describe, expect, it } from 'vitest';
import { isPixlockError } from '../errors.js';
import { emptyLock, type LockEntry, type Lockfile } from '../lock/lockfile.js';
import { mergeShardLocks, type MergeBase, type ShardFile } from './merge-shard-locks.js';
import { parseShardLock, serializeShardLock, type ShardMeta } from './shard-lock.js';

const hex = (c: string) => c.repeat(64);

function entry(id: string, taskId = `t-${id}`): LockEntry {
  return {
    generation: hex('a'),
    provider: 'placeholder',
    model: 'nanobanana2',
    seed: 1,
    taskId,
    credits: 0,
    generatedAt: '2026-11-25T10:00:00.000Z',
    original: { sha256: hex('b'), mediaType: 'image/png', bytes: 10, width: 8, height: 8 },
    output: {
      hash: hex('c'),
      files: [{ path: `generated/${id}.webp`, sha256: hex('d'), width: 8, height: 8, bytes: 5 }],
    },
  };
}

function meta(
  index: number,
  total: number,
  images: string[],
  over: Partial<ShardMeta> = {},
): ShardMeta {
  return { index, total, manifest: hex('1'), lock: hex('2'), split: hex('3'), images, ...over };
}

function file(m: ShardMeta, lock: Lockfile = emptyLock(), name?: string): ShardFile {
  for (const id of m.images) lock.images[id] ??= entry(id);
  const text = serializeShardLock(m, lock);
  return {
    ...parseShardLock(text, name ?? `pixlock.shard-${m.index}-of-${m.total}.lock`, 'generated'),
    file: name ?? `pixlock.shard-${m.index}-of-${m.total}.lock`,
    text,
  };
}

function base(lock: Lockfile = emptyLock(), over: Partial<MergeBase> = {}): MergeBase {
  return {
    lock,
    lockDigest: hex('2'),
    manifestDigest: hex('1'),
    ids: new Set(['a', 'b', 'c', 'd', 'kept']),
    ...over,
  };
}

function refused(run: () => unknown, pattern: RegExp): void {
  try {
    run();
  } catch (error) {
    expect(isPixlockError(error, 'SHARDS_MISMATCH') || isPixlockError(error, 'LOCK_INVALID')).toBe(
      true,
    );
    expect((error as Error).message).toMatch(pattern);
    return;
  }
  throw new Error(`not refused: ${pattern}`);
}

describe('shard locks', () => {
  it('round-trip, with the lock part byte for byte as pixlock.lock writes it', () => {
    const lock = emptyLock();
    lock.images.a = entry('a');
    const text = serializeShardLock(meta(1, 2, ['a', 'b']), lock);
    expect(text).toMatch(/^# A shard of a pixlock run/);
    expect(text).toContain('lockfileVersion: 2\nshard:\n  index: 1\n  total: 2\n');
    expect(text).toContain('  images:\n    - a\n    - b\nimages:\n  a:\n');
    const read = parseShardLock(text, 'x.lock', 'generated');
    expect(read.meta.images).toEqual(['a', 'b']);
    expect(read.lock.images.a).toEqual(lock.images.a);
  });

  it('are refused as hostile input, at the line of the problem', () => {
    const good = serializeShardLock(meta(1, 2, ['a']), {
      ...emptyLock(),
      images: { a: entry('a') },
    });
    const cases: [string, RegExp][] = [
      [good.replace('  index: 1', '  index: 3'), /:5:\d+: .*index 3 is above the total 2/],
      [good.replace('  index: 1', '  index: 0'), /shard lock is damaged/],
      [good.replace(/ {2}manifest: .*/, '  manifest: nope'), /expected a sha256/],
      [good.replace('    - a', '    - ../a'), /would escape outDir/],
      [good.replace('    - a', '    - b\n    - a'), /sorted and each listed once/],
      [good.replace('    - a', '    - b'), /image "a" is not one of this shard's images/],
      [good.replace(/shard:\n( {2}.*\n| {4}.*\n)*/, ''), /no shard: block/],
      [good.replace('generated/a.webp', '../outside/a.webp'), /lockfile is damaged/],
      [good.replace('generated/a.webp', 'pixlock.yaml'), /lockfile is damaged/],
    ];
    for (const [text, pattern] of cases)
      refused(() => parseShardLock(text, 'pixlock.shard-1-of-2.lock', 'generated'), pattern);
  });
});

describe('mergeShardLocks', () => {
  const both = () => [file(meta(1, 2, ['a', 'b'])), file(meta(2, 2, ['c']))];

  it('gives each shard its images and keeps every other image as it was', () => {
    const was = emptyLock();
    was.images.kept = entry('kept');
    was.images.a = entry('a', 'old');
    was.pending['c'] = {
      generation: hex('a'),
      provider: 'placeholder',
      seed: 1,
      credits: 0,
      createdAt: 'x',
      taskId: 'paid',
    };
    const done = mergeShardLocks(base(was), both());
    expect(Object.keys(done.lock.images).sort()).toEqual(['a', 'b', 'c', 'kept']);
    expect(done.lock.images.a!.taskId).toBe('t-a');
    expect(done.lock.images.kept).toBe(was.images.kept);
    expect(done.lock.pending).toEqual({});
    expect(done.changed.sort()).toEqual(['a', 'b', 'c']);
    // The lock it merged into is left as it was.
    expect(was.images.a!.taskId).toBe('old');
  });

  it('refuses shards that are not the n shards of one run, naming the files', () => {
    refused(() => mergeShardLocks(base(), []), /no shard locks/);
    refused(
      () => mergeShardLocks(base(), [both()[0]!]),
      /1 shard is missing: 2\/2 \(merging pixlock.shard-1-of-2.lock\)/,
    );
    refused(
      () => mergeShardLocks(base(), [both()[0]!, file(meta(2, 3, ['c']))]),
      /disagree on the number of shards: of 2 \(pixlock.shard-1-of-2.lock\); of 3 \(pixlock.shard-2-of-3.lock\)/,
    );
    refused(
      () => mergeShardLocks(base(), [both()[0]!, file(meta(2, 2, ['c'], { manifest: hex('9') }))]),
      /disagree on the manifest/,
    );
    refused(
      () => mergeShardLocks(base(), [both()[0]!, file(meta(2, 2, ['c'], { split: hex('9') }))]),
      /disagree on the split/,
    );
    refused(
      () => mergeShardLocks(base(), [both()[0]!, file(meta(2, 2, ['b', 'c']))]),
      /image "b" is in two shards: pixlock.shard-1-of-2.lock and pixlock.shard-2-of-2.lock/,
    );
    refused(
      () =>
        mergeShardLocks(base(), [
          ...both(),
          file(
            meta(2, 2, ['c']),
            { ...emptyLock(), images: { c: entry('c', 'other-runner') } },
            'b/pixlock.shard-2-of-2.lock',
          ),
        ]),
      /shard 2\/2 was run twice and recorded differently: pixlock.shard-2-of-2.lock and b\/pixlock.shard-2-of-2.lock/,
    );
    refused(
      () =>
        mergeShardLocks(base(), [
          both()[0]!,
          file(meta(2, 2, ['c']), emptyLock(), 'pixlock.shard-1-of-2.lock'),
        ]),
      /holds shard 2\/2, not the one its name says/,
    );
    refused(
      () => mergeShardLocks(base(), [both()[0]!, file(meta(2, 2, ['zz']))]),
      /names image "zz", which the manifest does not have/,
    );
    refused(
      () => mergeShardLocks(base(emptyLock(), { lockDigest: hex('7') }), both()),
      /pixlock.lock changed since the shards started/,
    );
  });

  it('takes one shard seen twice as the same bytes, and a merge run again as done', () => {
    const [one, two] = both();
    const done = mergeShardLocks(base(), [
      one!,
      two!,
      { ...two!, file: 'copy/pixlock.shard-2-of-2.lock' },
    ]);
    expect(done.files).toHaveLength(2);
    const again = mergeShardLocks(base(done.lock, { lockDigest: hex('8') }), [one!, two!]);
    expect(again.alreadyMerged).toBe(true);
  });
});
