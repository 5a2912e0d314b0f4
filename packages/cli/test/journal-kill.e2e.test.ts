import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLock } from '@pixlock/core';
import { describe, expect, it } from 'vitest';
import { runPixlockInProcess } from '../src/test-utils/run-pixlock-in-process.js';
import { ageStaleRunLock } from '../src/test-utils/stale-run-lock.js';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
// 60 (15 images of a run at 4 at a time before the kill, 45 after) keeps the suite quick;
// PIXLOCK_KILL_IMAGES=1000 runs the 1,000-image case.
const N = Number(process.env.PIXLOCK_KILL_IMAGES ?? 60);

const manifest = `version: 1
provider: { name: placeholder }
outDir: out
concurrency: 4
defaults: { resolution: 1k, output: { format: webp, widths: [64] } }
images:
${Array.from({ length: N }, (_, i) => `  img-${i}: { prompt: "image ${i}", seed: ${i} }\n`).join('')}`;

describe('kill -9 in the middle of a long run', () => {
  it('leaves a journal the next run folds in: lock valid, nothing made twice', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-journal-kill-'));
    const env = { ...process.env, CI: '1' };
    const journal = path.join(dir, '.pixlock', 'journal.jsonl');
    try {
      await writeFile(path.join(dir, 'pixlock.yaml'), manifest);
      const child = spawn(process.execPath, [BIN, 'generate'], { cwd: dir, env, stdio: 'ignore' });
      // Killed once a quarter of the images are recorded in the journal (the lock file itself
      // is written only at the end of a run).
      const done = () =>
        readFile(journal, 'utf8')
          .catch(() => '')
          .then((t) => new Set(t.split('\n').filter((l) => l.startsWith('{"image":'))).size);
      for (let i = 0; (await done()) < N / 4; i++) {
        if (i > 3000) throw new Error('the run never got a quarter through');
        await new Promise((r) => setTimeout(r, 20));
      }
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      // Killed mid-run, it left its run lock: the next run takes it over as stale.
      expect(await ageStaleRunLock(dir)).toBe(true);
      const recorded = await done();
      expect(recorded).toBeLessThan(N);
      // Ids with a task recorded (a pending line with a task id) or an image: paid for.
      const lines = (await readFile(journal, 'utf8')).split('\n');
      const paid = new Set(
        lines
          .filter((l) => l.startsWith('{"image":') || /^\{"pending":.*"taskId"/.test(l))
          .map(
            (l) =>
              (JSON.parse(l) as { image?: string; pending?: string }).image ??
              JSON.parse(l).pending,
          ),
      );

      // The run after the kill needs no process of its own.
      const rerun = await runPixlockInProcess(dir, ['generate'], env);
      expect(rerun.code).toBe(0);
      // Every image the killed run finished is reused, every task it recorded is resumed
      // rather than paid for again; only the rest is created.
      const count = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(rerun.stdout)?.[1]);
      expect(count('reused')).toBeGreaterThanOrEqual(recorded);
      expect(count('created')).toBeLessThanOrEqual(N - paid.size);
      expect(count('created') + count('resumed') + count('reused')).toBe(N);
      const lock = parseLock(await readFile(path.join(dir, 'pixlock.lock'), 'utf8'), 'lock');
      expect(Object.keys(lock.images)).toHaveLength(N);
      expect(lock.pending).toEqual({});
      await expect(readFile(journal)).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 900_000);
});
