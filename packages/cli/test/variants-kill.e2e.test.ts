import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLock } from '@pixlock/core';
import { startFakeKinovi, type FakeKinovi, type FakeKinoviOptions } from '@pixlock/fake-kinovi';
import { describe, expect, it } from 'vitest';
import { runPixlockInProcess } from '../src/test-utils/run-pixlock-in-process.js';
import { ageStaleRunLock } from '../src/test-utils/stale-run-lock.js';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

const manifest = (n: number, concurrency: number) =>
  `version: 1
provider: { name: kinovi, pollInterval: 50 }
outDir: out
concurrency: ${concurrency}
defaults: { resolution: 1k, aspectRatio: "4:3", variants: 3, output: { format: webp, width: 64 } }
images:
${Array.from({ length: n }, (_, i) => `  shot-${i}: { prompt: "shot number ${i}", seed: ${i} }\n`).join('')}`;

/** A fake kinovi server and a project with `variants: 3`, the CLI pointed at it. */
async function withFakeProject(
  options: Partial<FakeKinoviOptions>,
  images: number,
  concurrency: number,
  body: (t: {
    fake: FakeKinovi;
    dir: string;
    lockFile: string;
    run: (...args: string[]) => Promise<{ code: number; stdout: string }>;
    killWhen: (ready: () => Promise<boolean> | boolean) => Promise<void>;
  }) => Promise<void>,
): Promise<void> {
  const fake = await startFakeKinovi(options);
  const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-variants-kill-'));
  const env = {
    ...process.env,
    CI: '1',
    KINOVI_API_KEY: 'test-key',
    KINOVI_BASE_URL: fake.baseUrl,
  };
  // The run that is killed is the built bin; the runs after it need no process of their own.
  const run = (...args: string[]) => runPixlockInProcess(dir, args, env);
  const killWhen = async (ready: () => Promise<boolean> | boolean) => {
    const child = spawn(process.execPath, [BIN, 'generate'], { cwd: dir, env, stdio: 'ignore' });
    for (let i = 0; !(await ready()); i++) {
      if (i > 1000) throw new Error('the moment to kill never came');
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    // Killed mid-run, it left its run lock: the next run takes it over as stale.
    expect(await ageStaleRunLock(dir)).toBe(true);
  };
  try {
    await writeFile(path.join(dir, 'pixlock.yaml'), manifest(images, concurrency));
    await body({ fake, dir, lockFile: path.join(dir, 'pixlock.lock'), run, killWhen });
  } finally {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** How many tasks the server made for each (prompt, seed): a candidate paid once shows 1. */
const createsPerCandidate = (fake: FakeKinovi) => {
  const counts = new Map<string, number>();
  for (const t of fake.tasks()) {
    const key = `${t.prompt} / ${t.seed}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
};

describe('kill -9 with variants in flight', () => {
  it('resumes every candidate task recorded: each candidate paid exactly once', async () => {
    const options = { queueMs: 100, latencyMs: 1500, concurrencyLimit: 10 };
    await withFakeProject(options, 2, 4, async ({ fake, dir, lockFile, run, killWhen }) => {
      // Killed once four candidate tasks exist and are recorded with their ids (journal).
      const journal = path.join(dir, '.pixlock', 'journal.jsonl');
      let lines: string[] = [];
      await killWhen(async () => {
        const text = await readFile(journal, 'utf8').catch(() => '');
        lines = text.split('\n').filter((l) => /^\{"pending":.*"taskId"/.test(l));
        return lines.length === 4 && fake.stats.creates === 4;
      });
      expect(fake.stats.succeeded).toBe(0);
      // Candidates are keyed one by one: <id> for the first, <id>#<n> for the others.
      const keys = lines.map((l) => (JSON.parse(l) as { pending: string }).pending);
      expect(keys.some((k) => /^shot-\d#[23]$/.test(k))).toBe(true);

      // Tasks keep the times they were created with: only the two still to create are quick.
      fake.configure({ queueMs: 20, latencyMs: 50 });
      const rerun = await run('generate');
      expect(rerun.code).toBe(0);
      expect(fake.stats.creates).toBe(6);
      expect([...createsPerCandidate(fake).values()]).toEqual([1, 1, 1, 1, 1, 1]);
      expect(fake.stats.creditsCharged).toBe(6 * 15);

      const lock = parseLock(await readFile(lockFile, 'utf8'), lockFile);
      expect(lock.pending).toEqual({});
      const made = new Set(fake.tasks().map((t) => t.taskId));
      const recorded = Object.values(lock.images).flatMap((e) =>
        e.candidates!.map((c) => c.taskId),
      );
      expect(recorded).toHaveLength(6);
      expect(new Set(recorded)).toEqual(made);
      expect((await run('check')).code).toBe(0);
    });
  }, 60_000);

  it('holds an image whose candidate create was on its way at kill -9: nothing is sent again', async () => {
    await withFakeProject(
      { queueMs: 20, latencyMs: 2000 },
      1,
      1,
      async ({ fake, lockFile, run, killWhen }) => {
        // The first candidate's create is answered; the second's is taken at once and answered
        // 3 s later: the kill lands in between.
        let armed = false;
        await killWhen(() => {
          if (!armed && fake.stats.creates === 1) {
            fake.injectOnce({ route: 'createTask', delayMs: 3000 });
            armed = true;
          }
          return armed && fake.stats.createCalls === 2;
        });
        expect(fake.stats.creates).toBe(2);

        const held = await run('generate');
        expect(held.code).toBe(1);
        expect(held.stdout).toMatch(/held: shot-0: an earlier run sent its create at /);
        expect(fake.stats.createCalls).toBe(2);
        const pending = parseLock(await readFile(lockFile, 'utf8'), lockFile).pending;
        expect(pending['shot-0']?.taskId).toEqual(expect.any(String));
        expect(pending['shot-0#2']).toMatchObject({ candidate: 2, credits: 15 });
        expect(pending['shot-0#2']?.taskId).toBeUndefined();
        expect([...createsPerCandidate(fake).values()]).toEqual([1, 1]);
      },
    );
  }, 60_000);
});
