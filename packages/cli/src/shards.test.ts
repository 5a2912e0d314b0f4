import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runPixlockInProcess } from './test-utils/run-pixlock-in-process.js';

const MANIFEST = `version: 1
provider: { name: placeholder }
outDir: generated
defaults: { resolution: 1k, aspectRatio: "1:1", output: { format: webp, width: 16 } }
images:
${Array.from({ length: 8 }, (_, i) => `  i${i}: { prompt: "p ${i}", seed: ${i + 1} }`).join('\n')}
`;

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function project(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-shard-cli-'));
  dirs.push(dir);
  await writeFile(path.join(dir, 'pixlock.yaml'), MANIFEST);
  return dir;
}

/** sha256 of every file under `dir`, by path: what "nothing written" is checked against. */
async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, file)] = createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
  }
  return out;
}

describe('pixlock --shard and merge', () => {
  it('plan --shard shows the share and the balance of all n, as text and JSON', async () => {
    const dir = await project();
    const text = await runPixlockInProcess(dir, ['plan', '--shard', '2/3']);
    expect(text.code).toBe(0);
    expect(text.stderr).toMatch(/^shard 2\/3: \d of 8 images, \d with work$/m);
    expect(text.stdout).toMatch(/^Split of 3 shards/m);
    expect(text.stdout).toMatch(/^> 2\/3 /m);
    const json = JSON.parse(
      (await runPixlockInProcess(dir, ['plan', '--shard', '2/3', '--json'])).stdout,
    );
    expect(json.shard).toMatchObject({ index: 2, total: 3, lockFile: 'pixlock.shard-2-of-3.lock' });
    expect(json.shard.balance).toHaveLength(3);
    expect(json.entries.map((e: { id: string }) => e.id)).toEqual(json.shard.images);
    expect(json.shard.balance.reduce((n: number, l: { images: number }) => n + l.images, 0)).toBe(
      8,
    );
    // Planning wrote no shard lock.
    expect((await readdir(dir)).filter((n) => n.startsWith('pixlock.shard'))).toEqual([]);
  });

  it('--shard auto reads the CI system and says which', async () => {
    const dir = await project();
    const env = { CIRCLE_NODE_INDEX: '0', CIRCLE_NODE_TOTAL: '2' };
    const run = await runPixlockInProcess(dir, ['generate', '--shard', 'auto'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/shard 1\/2 \(from CircleCI CIRCLE_NODE_INDEX\/CIRCLE_NODE_TOTAL\)/);
    expect(await readdir(dir)).toContain('pixlock.shard-1-of-2.lock');
    const none = await runPixlockInProcess(dir, ['generate', '--shard', 'auto'], {
      CIRCLE_NODE_INDEX: undefined,
      CIRCLE_NODE_TOTAL: undefined,
      CI_NODE_INDEX: undefined,
      CI_NODE_TOTAL: undefined,
      BUILDKITE_PARALLEL_JOB: undefined,
      BUILDKITE_PARALLEL_JOB_COUNT: undefined,
    });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/found no parallel job/);
  });

  it('refuses a bad --shard with exit 2, writing nothing', async () => {
    const dir = await project();
    const before = await tree(dir);
    for (const bad of ['0/4', '5/4', 'x', '1/300']) {
      const run = await runPixlockInProcess(dir, ['generate', '--shard', bad]);
      expect(run.code, bad).toBe(2);
      expect(run.stderr).toMatch(/--shard/);
    }
    expect(await tree(dir)).toEqual(before);
  });

  it('merge refuses a missing shard with exit 2 naming the files, writing nothing; --partial merges', async () => {
    const dir = await project();
    expect((await runPixlockInProcess(dir, ['generate', '--shard', '3/3'])).code).toBe(0);
    const before = await tree(dir);
    const merge = await runPixlockInProcess(dir, ['merge']);
    expect(merge.code).toBe(2);
    expect(merge.stderr).toMatch(
      /error SHARDS_MISMATCH: cannot merge: 2 shards are missing: 1\/3, 2\/3 \(merging .*pixlock.shard-3-of-3.lock\)/,
    );
    const json = JSON.parse((await runPixlockInProcess(dir, ['merge', '--json'])).stdout);
    expect(json).toMatchObject({ command: 'merge', ok: false, error: { code: 'SHARDS_MISMATCH' } });
    // And a whole run is refused while it is not merged.
    const whole = await runPixlockInProcess(dir, ['generate']);
    expect(whole.code).toBe(2);
    expect(whole.stderr).toMatch(/SHARDS_UNMERGED: pixlock.shard-3-of-3.lock/);
    const after = await tree(dir);
    expect(
      Object.keys(after)
        .filter((k) => after[k] !== before[k])
        .join(' '),
    ).toEqual('');
    const dry = await runPixlockInProcess(dir, ['merge', '--partial', '--dry-run']);
    expect(dry.stdout).toMatch(/would merge 1 shard into pixlock.lock/);
    expect(await tree(dir)).toEqual(before);
    const partial = await runPixlockInProcess(dir, ['merge', '--partial', '--json']);
    expect(JSON.parse(partial.stdout)).toMatchObject({ ok: true, counts: { shards: 1 } });
    expect(await readdir(dir)).not.toContain('pixlock.shard-3-of-3.lock');
    expect((await runPixlockInProcess(dir, ['generate'])).code).toBe(0);
    expect((await runPixlockInProcess(dir, ['check'])).code).toBe(0);
  });

  it('refuses a hostile shard lock beside the manifest, at its line, writing nothing', async () => {
    const dir = await project();
    expect((await runPixlockInProcess(dir, ['generate', '--shard', '1/2'])).code).toBe(0);
    const file = path.join(dir, 'pixlock.shard-1-of-2.lock');
    const good = await readFile(file, 'utf8');
    const bad: [string, RegExp][] = [
      [
        good.replace(/path: generated\/(\S+)/, 'path: ../../etc/$1'),
        /pixlock.shard-1-of-2.lock:\d+:\d+: the lockfile is damaged/,
      ],
      [
        good.replace(/ {2}index: 1/, '  index: 3'),
        /pixlock.shard-1-of-2.lock:\d+:\d+: the shard lock is damaged: index 3 is above the total 2/,
      ],
    ];
    for (const [text, pattern] of bad) {
      await writeFile(file, text);
      const before = await tree(dir);
      for (const argv of [
        ['generate', '--shard', '1/2'],
        ['merge', '--partial'],
        ['plan', '--shard', '1/2'],
      ]) {
        const run = await runPixlockInProcess(dir, argv);
        expect(run.code, argv.join(' ')).toBe(2);
        expect(run.stderr).toMatch(pattern);
      }
      expect(await tree(dir)).toEqual(before);
    }
    await rm(file);
    await symlink('/dev/zero', file);
    const linked = await runPixlockInProcess(dir, ['merge', '--partial']);
    expect(linked.code).toBe(2);
    expect(linked.stderr).toMatch(/LOCK_INVALID: the shard lock .*pixlock.shard-1-of-2.lock/);
  });

  it('merges files given as arguments, from artifact folders, and refuses one shard run twice differently', async () => {
    const dir = await project();
    for (const i of [1, 2])
      expect((await runPixlockInProcess(dir, ['generate', '--shard', `${i}/2`])).code).toBe(0);
    const shard2 = await readFile(path.join(dir, 'pixlock.shard-2-of-2.lock'), 'utf8');
    // A second runner of shard 2 recorded another task for one of its images.
    const other = shard2.replace(/taskId: (\S+)/, 'taskId: from-another-runner');
    await writeFile(path.join(dir, 'copy.lock'), other);
    const twice = await runPixlockInProcess(dir, [
      'merge',
      'pixlock.shard-1-of-2.lock',
      'pixlock.shard-2-of-2.lock',
      'copy.lock',
    ]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(
      /shard 2\/2 was run twice and recorded differently: .*pixlock.shard-2-of-2.lock and .*copy.lock/,
    );
    const ok = await runPixlockInProcess(dir, [
      'merge',
      'pixlock.shard-1-of-2.lock',
      'pixlock.shard-2-of-2.lock',
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect((await runPixlockInProcess(dir, ['check'])).code).toBe(0);
  });
});
