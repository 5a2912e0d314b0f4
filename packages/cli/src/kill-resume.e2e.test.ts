import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLock } from '@pixlock/core';
import { startFakeKinovi, type FakeKinovi, type FakeKinoviOptions } from '@pixlock/fake-kinovi';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { runPixlockInProcess } from './test-utils/run-pixlock-in-process.js';
import { ageStaleRunLock } from './test-utils/stale-run-lock.js';

// The run that is killed is the built bin in its own process; the runs after it need none.
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

const manifest = (n: number) =>
  `version: 1
provider: { name: kinovi, pollInterval: 50 }
outDir: out
concurrency: 3
defaults: { resolution: 1k, aspectRatio: "4:3", output: { format: webp, widths: [64, 128] } }
images:
${Array.from({ length: n }, (_, i) => `  shot-${i}: { prompt: "shot number ${i}", seed: ${i} }\n`).join('')}`;

/** A fake kinovi server and a project folder for one test, with the CLI pointed at it. */
async function withFakeProject(
  options: Partial<FakeKinoviOptions>,
  images: number,
  body: (t: {
    fake: FakeKinovi;
    dir: string;
    lockFile: string;
    /** Runs the CLI to its end (in process). */
    run: (...args: string[]) => Promise<{ code: number; stdout: string }>;
    /** Starts `generate` (the built bin) and kills it with SIGKILL once `ready()` holds. */
    killWhen: (ready: () => Promise<boolean>) => Promise<void>;
  }) => Promise<void>,
): Promise<void> {
  const fake = await startFakeKinovi(options);
  const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-kill-'));
  const env = {
    ...process.env,
    CI: '1',
    KINOVI_API_KEY: 'test-key',
    KINOVI_BASE_URL: fake.baseUrl,
  };
  const run = (...args: string[]) => runPixlockInProcess(dir, args, env);
  const killWhen = async (ready: () => Promise<boolean>) => {
    const child = spawn(process.execPath, [BIN, 'generate'], { cwd: dir, env, stdio: 'ignore' });
    for (let i = 0; !(await ready()); i++) {
      if (i > 400) throw new Error('the moment to kill never came');
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    // Killed mid-run, it left its run lock: the next run takes it over as stale.
    expect(await ageStaleRunLock(dir)).toBe(true);
  };
  try {
    await writeFile(path.join(dir, 'pixlock.yaml'), manifest(images));
    await body({ fake, dir, lockFile: path.join(dir, 'pixlock.lock'), run, killWhen });
  } finally {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  }
}

describe('runs that end before their tasks do', () => {
  it('resumes the recorded tasks on the next run: every image paid exactly once, every output valid', async () => {
    const options = { queueMs: 100, latencyMs: 1500, concurrencyLimit: 10 };
    await withFakeProject(options, 6, async ({ fake, dir, lockFile, run, killWhen }) => {
      // Once the first three tasks are created and recorded (with their task ids, in the
      // lock's journal during a run), kill -9.
      const journal = path.join(dir, '.pixlock', 'journal.jsonl');
      await killWhen(async () => {
        const text = await readFile(journal, 'utf8').catch(() => '');
        const recorded = text.split('\n').filter((l) => /^\{"pending":.*"taskId"/.test(l));
        return recorded.length === 3 && fake.stats.creates === 3;
      });
      expect(fake.stats.succeeded).toBe(0);

      // Tasks keep the times they were created with: only the three still to create are quick.
      fake.configure({ queueMs: 20, latencyMs: 50 });
      const rerun = await run('generate');
      expect(rerun.code).toBe(0);
      expect(rerun.stdout).toMatch(/3 created, 3 resumed/);
      expect(fake.stats.creates).toBe(6);
      expect(Object.values({ ...fake.stats.createsByPrompt })).toEqual([1, 1, 1, 1, 1, 1]);
      expect(fake.stats.creditsCharged).toBe(6 * 15);

      const lock = parseLock(await readFile(lockFile, 'utf8'), lockFile);
      expect(lock.pending).toEqual({});
      for (const entry of Object.values(lock.images)) {
        for (const f of entry.output.files) {
          const meta = await sharp(path.join(dir, f.path)).metadata();
          expect([meta.format, meta.width, meta.height]).toEqual(['webp', f.width, f.height]);
        }
      }
      expect((await run('check')).code).toBe(0);
    });
  }, 60_000);

  it('holds an image whose create was on its way at kill -9: the next run sends nothing for it', async () => {
    await withFakeProject(
      { queueMs: 20, latencyMs: 50 },
      1,
      async ({ fake, dir, lockFile, run, killWhen }) => {
        // The server takes the create at once and answers 3 s later: the kill lands in between.
        fake.injectOnce({ route: 'createTask', delayMs: 3000 });
        await killWhen(async () => fake.stats.createCalls > 0);
        expect(fake.stats).toMatchObject({ creates: 1, creditsCharged: 15 });

        const held = await run('generate');
        expect(held.code).toBe(1);
        expect(held.stdout).toMatch(/held: shot-0: an earlier run sent its create at /);
        expect(held.stdout).toContain('pixlock generate --force shot-0');
        expect(fake.stats.createCalls).toBe(1);
        // Now in the lock (committable), and the journals are gone.
        const record = parseLock(await readFile(lockFile, 'utf8'), lockFile).pending['shot-0'];
        expect(record).toMatchObject({ provider: 'kinovi', credits: 15 });
        expect(record?.taskId).toBeUndefined();
        await expect(readFile(path.join(dir, '.pixlock', 'creating.jsonl'))).rejects.toThrow();
        await expect(readFile(path.join(dir, '.pixlock', 'journal.jsonl'))).rejects.toThrow();
      },
    );
  }, 60_000);
});
