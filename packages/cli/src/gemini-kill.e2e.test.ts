import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, parseLock } from '@pixlock/core';
import { startFakeGemini, type FakeGemini, type FakeGeminiOptions } from '@pixlock/fake-gemini';
import { describe, expect, it } from 'vitest';

// kill -9 of `pixlock generate` in Gemini's Batch mode, at each moment a job can be caught in:
// its create on its way, its upload not yet done (nothing sent), running, and its images half
// collected. Each next run resumes every job and the fake's counters show each request paid once.

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const KEY = 'AIza-kill-test-key';

const manifest = (n: number) => `version: 1
provider: { name: gemini, model: gemini-3-pro-image, mode: batch, pollInterval: 20 }
outDir: out
defaults: { resolution: 1k, aspectRatio: "1:1", output: { format: webp, width: 32 } }
images:
${Array.from({ length: n }, (_, i) => `  shot-${i}: { prompt: "shot number ${i}", seed: ${i} }\n`).join('')}`;

async function withProject(
  options: Partial<FakeGeminiOptions>,
  images: number,
  body: (t: {
    fake: FakeGemini;
    dir: string;
    env: Record<string, string>;
    /** The run's lock journal, as lines. */
    journal: () => Promise<string[]>;
    run: (...args: string[]) => Promise<{ code: number; stdout: string }>;
    killWhen: (ready: () => Promise<boolean>) => Promise<void>;
  }) => Promise<void>,
): Promise<void> {
  const fake = await startFakeGemini({
    apiKeys: [KEY],
    generateLatencyMs: 2,
    batchQueueMs: 5,
    batchRunMs: 5,
    ...options,
  });
  const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-gemini-kill-'));
  const env = { GEMINI_API_KEY: KEY, GOOGLE_GEMINI_BASE_URL: fake.baseUrl };
  const processEnv = { ...process.env, CI: '1', ...env };
  const run = (...args: string[]) =>
    new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(process.execPath, [BIN, ...args], { cwd: dir, env: processEnv }, (error, stdout) =>
        resolve({ code: error ? Number(error.code) : 0, stdout }),
      ),
    );
  const journal = async () =>
    (await readFile(path.join(dir, '.pixlock', 'journal.jsonl'), 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean);
  const killWhen = async (ready: () => Promise<boolean>) => {
    const child = spawn(process.execPath, [BIN, 'generate'], {
      cwd: dir,
      env: processEnv,
      stdio: 'ignore',
    });
    const exited = new Promise((r) => child.once('exit', r));
    for (let i = 0; !(await ready()); i++) {
      if (i > 800) throw new Error('the moment to kill never came');
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGKILL');
    await exited;
    // Its run mutex would go stale in 5 s (run-mutex.ts); the holder is dead, so the next run
    // need not wait that out: the test is about the jobs, not the mutex.
    await rm(path.join(dir, '.pixlock-run.lock'), { recursive: true, force: true });
  };
  try {
    await writeFile(path.join(dir, 'pixlock.yaml'), manifest(images));
    await body({ fake, dir, env, journal, run, killWhen });
  } finally {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const paidOnce = (fake: FakeGemini, n: number) => {
  expect(Object.keys(fake.stats.paidByPrompt)).toHaveLength(n);
  expect(Object.values(fake.stats.paidByPrompt).every((c) => c === 1)).toBe(true);
};
const pendingNames = (lines: string[]) =>
  lines
    .filter((l) => l.startsWith('{"pending"'))
    .map((l) => (JSON.parse(l) as { task: { taskId: string } }).task.taskId);

describe('gemini batch mode survives kill -9', () => {
  it('mid-submit, the create on its way: the next run finds the job by its name and pays nothing more', async () => {
    await withProject({}, 3, async ({ fake, journal, run, killWhen, dir }) => {
      // The job is created at once; its answer comes 5 s later: the kill lands in between.
      fake.injectOnce({ route: 'batchCreate', delayMs: 5000 });
      await killWhen(async () => fake.stats.batchesCreated === 1);
      const names = pendingNames(await journal());
      expect(names).toHaveLength(3);
      for (const n of names) expect(n).toMatch(/^pixlock-\d{8}T\d{6}Z-[0-9a-f]{8}-1#\d$/);

      const next = await run('generate');
      expect(next.code).toBe(0);
      expect(next.stdout).toMatch(/0 created, 3 resumed/);
      expect(fake.stats.batchesCreated).toBe(1);
      paidOnce(fake, 3);
      const lock = parseLock(
        await readFile(path.join(dir, 'pixlock.lock'), 'utf8'),
        'pixlock.lock',
      );
      expect(lock.pending).toEqual({});
      expect((await run('check')).code).toBe(0);
    });
  }, 30_000);

  it('mid-submit, before anything left: a later run finds no such job and sends it once', async () => {
    await withProject({}, 3, async ({ fake, journal, killWhen, dir, env }) => {
      // Three requests go as a JSONL file: the kill lands while its upload waits.
      fake.injectOnce({ route: 'upload', delayMs: 5000 });
      await killWhen(async () => fake.stats.uploadsStarted === 1);
      expect(pendingNames(await journal())).toHaveLength(3);
      expect(fake.stats.batchesCreated).toBe(0);
      // A run two minutes later, when a job that was sent would be listed: none is, so the
      // recorded tasks are lost and created anew. In process, on a clock set ahead.
      const later = await generate({
        config: path.join(dir, 'pixlock.yaml'),
        env,
        clock: {
          now: () => new Date(Date.now() + 180_000),
          sleep: (ms, signal) =>
            new Promise((resolve, reject) => {
              const t = setTimeout(resolve, ms);
              signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), {
                once: true,
              });
            }),
        },
      });
      expect(later.run?.counts).toMatchObject({ created: 3, failed: 0 });
      expect(fake.stats.batchesCreated).toBe(1);
      paidOnce(fake, 3);
    });
  }, 30_000);

  it('mid-poll: the next run resumes the running job', async () => {
    await withProject({ batchRunMs: 1500 }, 3, async ({ fake, journal, run, killWhen }) => {
      await killWhen(async () => {
        const names = pendingNames(await journal());
        return names.filter((n) => n.startsWith('batches/')).length === 3;
      });
      expect(fake.batches()[0]?.state).toMatch(/PENDING|RUNNING/);
      const next = await run('generate');
      expect(next.code).toBe(0);
      expect(next.stdout).toMatch(/0 created, 3 resumed/);
      expect(fake.stats.batchesCreated).toBe(1);
      paidOnce(fake, 3);
    });
  }, 30_000);

  it('mid-collect: images already in are kept, the rest collected from the same job', async () => {
    await withProject({}, 8, async ({ fake, journal, run, killWhen, dir }) => {
      await killWhen(async () => {
        const images = (await journal()).filter((l) => l.startsWith('{"image"')).length;
        return images >= 1 && images < 8;
      });
      const kept = (await journal()).filter((l) => l.startsWith('{"image"')).length;
      expect(kept).toBeGreaterThanOrEqual(1);
      const next = await run('generate');
      expect(next.code).toBe(0);
      expect(next.stdout).toMatch(new RegExp(`0 created, ${8 - kept} resumed`));
      expect(fake.stats.batchesCreated).toBe(1);
      paidOnce(fake, 8);
      const lock = parseLock(
        await readFile(path.join(dir, 'pixlock.lock'), 'utf8'),
        'pixlock.lock',
      );
      expect(Object.keys(lock.images)).toHaveLength(8);
      expect((await run('check')).code).toBe(0);
    });
  }, 30_000);
});
