import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLock } from '@pixlock/core';
import { startFakeKinovi } from '@pixlock/fake-kinovi';
import { afterEach, describe, expect, it } from 'vitest';
import { runPixlock } from './test-utils/run-pixlock.js';
import { runPixlockInProcess } from './test-utils/run-pixlock-in-process.js';
import { ageStaleRunLock } from './test-utils/stale-run-lock.js';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** Sixteen tiny images, seeds pinned, two of them built on others. */
const PLACEHOLDER = `version: 1
provider: { name: placeholder }
outDir: generated
defaults: { resolution: 1k, aspectRatio: "1:1", output: { formats: [webp, png], widths: [16, 32] } }
images:
${Array.from({ length: 16 }, (_, i) => `  pic/${i}: { prompt: "picture ${i}", seed: ${i + 1}${i === 5 ? ', references: [{ image: pic/4 }]' : i === 6 ? ', references: [{ image: pic/5 }]' : ''} }`).join('\n')}
`;

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function folder(manifest: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-shards-'));
  dirs.push(dir);
  await writeFile(path.join(dir, 'pixlock.yaml'), manifest);
  return dir;
}

const timeless = (text: string) => text.replace(/generatedAt: .*/g, 'generatedAt: -');

describe('CI shards', () => {
  it('4 shards as 4 concurrent processes, merged: the lock one run writes, check passes', async () => {
    const single = await folder(PLACEHOLDER);
    const sharded = await folder(PLACEHOLDER);
    const [one, ...shards] = await Promise.all([
      runPixlockInProcess(single, ['generate']),
      ...[1, 2, 3, 4].map((i) => runPixlock(sharded, ['generate', '--shard', `${i}/4`])),
    ]);
    expect(one!.code).toBe(0);
    for (const s of shards) {
      expect(s.code, s.stderr).toBe(0);
      expect(s.stderr).toMatch(/shard \d\/4: \d+ of 16 images/);
    }
    expect((await readdir(sharded)).filter((n) => n.endsWith('.lock')).sort()).toEqual(
      [1, 2, 3, 4].map((i) => `pixlock.shard-${i}-of-4.lock`),
    );
    const merged = await runPixlockInProcess(sharded, ['merge']);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toMatch(/merged 4 shards into pixlock.lock: 16 images changed/);
    const a = await readFile(path.join(single, 'pixlock.lock'), 'utf8');
    const b = await readFile(path.join(sharded, 'pixlock.lock'), 'utf8');
    expect(timeless(b)).toBe(timeless(a));
    expect((await runPixlockInProcess(sharded, ['check'])).code).toBe(0);
    expect((await readdir(sharded)).filter((n) => n.startsWith('pixlock.shard-'))).toEqual([]);
  }, 60_000);

  it('a shard killed with kill -9 resumes its own tasks: every image paid once', async () => {
    const manifest = `version: 1
provider: { name: kinovi, pollInterval: 50 }
outDir: out
concurrency: 3
defaults: { resolution: 1k, aspectRatio: "4:3", output: { format: webp, width: 64 } }
images:
${Array.from({ length: 10 }, (_, i) => `  shot-${i}: { prompt: "shot ${i}", seed: ${i} }`).join('\n')}
`;
    const fake = await startFakeKinovi({ queueMs: 100, latencyMs: 1500, concurrencyLimit: 10 });
    try {
      const dir = await folder(manifest);
      const env = { KINOVI_API_KEY: 'test-key', KINOVI_BASE_URL: fake.baseUrl };
      const planned = await runPixlockInProcess(dir, ['plan', '--shard', '1/2', '--json'], env);
      const mine: string[] = JSON.parse(planned.stdout).shard.images;
      expect(mine.length).toBeGreaterThan(2);
      // Shard 1 of 2 in its own process, killed once two of its tasks are paid and recorded.
      const child = spawn(process.execPath, [BIN, 'generate', '--shard', '1/2'], {
        cwd: dir,
        env: { ...process.env, CI: '1', ...env },
        stdio: 'ignore',
      });
      const journal = path.join(dir, '.pixlock', 'journal-shard-1-of-2.jsonl');
      for (let i = 0; ; i++) {
        const text = await readFile(journal, 'utf8').catch(() => '');
        const recorded = text.split('\n').filter((l) => /^\{"pending":.*"taskId"/.test(l));
        if (recorded.length >= 2 && fake.stats.creates === recorded.length) break;
        if (i > 500) throw new Error('the moment to kill never came');
        await new Promise((r) => setTimeout(r, 10));
      }
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const paid = fake.stats.creates;
      expect(fake.stats.succeeded).toBe(0);
      expect(await ageStaleRunLock(dir, '.pixlock-run-shard-1-of-2.lock')).toBe(true);
      fake.configure({ queueMs: 20, latencyMs: 50 });
      // Shard 2 meanwhile knows nothing of shard 1's tasks and needs to: it has its own.
      const two = await runPixlockInProcess(dir, ['generate', '--shard', '2/2'], env);
      expect(two.code, two.stderr).toBe(0);
      const rerun = await runPixlockInProcess(dir, ['generate', '--shard', '1/2'], env);
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(rerun.stdout).toMatch(new RegExp(`${mine.length - paid} created, ${paid} resumed`));
      expect((await runPixlockInProcess(dir, ['merge'], env)).code).toBe(0);
      expect(fake.stats.creates).toBe(10);
      expect(Object.values({ ...fake.stats.createsByPrompt })).toEqual(Array(10).fill(1));
      const lock = parseLock(await readFile(path.join(dir, 'pixlock.lock'), 'utf8'), 'x');
      expect(Object.keys(lock.images)).toHaveLength(10);
      expect(lock.pending).toEqual({});
      expect((await runPixlockInProcess(dir, ['check'], env)).code).toBe(0);
    } finally {
      await fake.close();
    }
  }, 60_000);
});
