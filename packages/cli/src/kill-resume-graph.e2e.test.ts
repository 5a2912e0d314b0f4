import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLock } from '@pixlock/core';
import { startFakeKinovi } from '@pixlock/fake-kinovi';
import { describe, expect, it } from 'vitest';
import { runPixlockInProcess } from './test-utils/run-pixlock-in-process.js';
import { ageStaleRunLock } from './test-utils/stale-run-lock.js';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

// A chain link-a ← link-b ← link-c, and two images on their own.
const MANIFEST = `version: 1
provider: { name: kinovi, pollInterval: 50 }
outDir: out
concurrency: 3
defaults: { resolution: 1k, aspectRatio: "1:1", output: { format: png, width: 32 } }
images:
  link-a: { prompt: "link a", seed: 1 }
  link-b: { prompt: "link b", seed: 2, references: [{ image: link-a }] }
  link-c: { prompt: "link c", seed: 3, references: [{ image: link-b }] }
  solo-1: { prompt: "solo 1", seed: 4 }
  solo-2: { prompt: "solo 2", seed: 5 }
`;

describe('kill -9 with a graph in flight', () => {
  it('resumes every recorded task, upstream or downstream: each image is paid exactly once', async () => {
    const fake = await startFakeKinovi({ queueMs: 50, latencyMs: 1200, concurrencyLimit: 10 });
    const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-kill-graph-'));
    const env = {
      ...process.env,
      CI: '1',
      KINOVI_API_KEY: 'test-key',
      KINOVI_BASE_URL: fake.baseUrl,
    };
    const journal = path.join(dir, '.pixlock', 'journal.jsonl');
    // The runs that are killed are the built bin; the last one needs no process of its own.
    const run = (...args: string[]) => runPixlockInProcess(dir, args, env);
    /**
     * Starts `generate`, and kill -9s it once the task made for `prompt` is recorded, and every
     * task the server took is too (a create killed on its way is held, not resumed: tested in
     * kill-resume.e2e.test.ts).
     */
    const killOnceRecorded = async (prompt: string) => {
      const child = spawn(process.execPath, [BIN, 'generate'], { cwd: dir, env, stdio: 'ignore' });
      for (let i = 0; ; i++) {
        if (i > 1000) throw new Error(`the task of "${prompt}" was never recorded`);
        const task = fake.tasks().find((t) => t.prompt === prompt);
        const text =
          (await readFile(journal, 'utf8').catch(() => '')) +
          (await readFile(path.join(dir, 'pixlock.lock'), 'utf8').catch(() => ''));
        if (task && fake.tasks().every((t) => text.includes(t.taskId))) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      // Killed mid-run, it left its run lock: the next run takes it over as stale.
      expect(await ageStaleRunLock(dir)).toBe(true);
    };
    try {
      await writeFile(path.join(dir, 'pixlock.yaml'), MANIFEST);
      // 1. Killed while the head of the chain is being drawn: nothing built on it was sent.
      await killOnceRecorded('link a');
      expect(fake.tasks().map((t) => t.prompt)).not.toContain('link b');
      // 2. The next run resumes link-a, then creates link-b; killed once link-b is recorded.
      await killOnceRecorded('link b');
      expect(fake.stats.createsByPrompt['link a']).toBe(1);
      // 3. The last run resumes what is recorded and finishes the chain. (Tasks keep the times
      // they were created with: only link-c, created now, is quick.)
      fake.configure({ queueMs: 20, latencyMs: 50 });
      const last = await run('generate');
      expect(last.stdout).not.toContain('failed:');
      expect(last.code).toBe(0);
      expect({ ...fake.stats.createsByPrompt }).toEqual({
        'link a': 1,
        'link b': 1,
        'link c': 1,
        'solo 1': 1,
        'solo 2': 1,
      });
      expect(fake.stats.creditsCharged).toBe(5 * 15);
      const lock = parseLock(
        await readFile(path.join(dir, 'pixlock.lock'), 'utf8'),
        'pixlock.lock',
      );
      expect(lock.pending).toEqual({});
      // link-c was drawn from the link-b the lock holds, which was drawn from link-a's.
      expect(lock.images['link-c']!.references).toEqual({
        'link-b': lock.images['link-b']!.original.sha256,
      });
      expect(lock.images['link-b']!.references).toEqual({
        'link-a': lock.images['link-a']!.original.sha256,
      });
      const taskOf = (p: string) => fake.tasks().find((t) => t.prompt === p)!;
      expect(fake.stats.referencesByTask[taskOf('link c').taskId]).toHaveLength(1);
      expect((await run('check')).code).toBe(0);
    } finally {
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
