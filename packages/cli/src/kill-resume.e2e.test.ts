import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLock } from '@pixlock/core';
import { startFakeKinovi } from '@pixlock/fake-kinovi';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

const manifest = (n: number) =>
  `version: 1
provider: { name: kinovi, pollInterval: 50 }
outDir: out
concurrency: 3
defaults: { resolution: 1k, aspectRatio: "4:3", output: { format: webp, widths: [64, 128] } }
images:
${Array.from({ length: n }, (_, i) => `  shot-${i}: { prompt: "shot number ${i}", seed: ${i} }\n`).join('')}`;

describe('kill -9 while tasks are in flight', () => {
  it('resumes the recorded tasks on the next run: every image paid exactly once, every output valid', async () => {
    const fake = await startFakeKinovi({ queueMs: 100, latencyMs: 1500, concurrencyLimit: 10 });
    const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-kill-'));
    const env = {
      ...process.env,
      CI: '1',
      KINOVI_API_KEY: 'test-key',
      KINOVI_BASE_URL: fake.baseUrl,
    };
    try {
      await writeFile(path.join(dir, 'pixlock.yaml'), manifest(6));
      const child = spawn(process.execPath, [BIN, 'generate'], { cwd: dir, env, stdio: 'ignore' });
      const lockFile = path.join(dir, 'pixlock.lock');
      // Wait until the first three tasks are created and recorded, then kill without warning.
      for (let i = 0; ; i++) {
        const text = await readFile(lockFile, 'utf8').catch(() => '');
        const pending = text ? Object.keys(parseLock(text, lockFile).pending).length : 0;
        if (pending === 3 && fake.stats.creates === 3) break;
        if (i > 400) throw new Error('tasks were never recorded');
        await new Promise((r) => setTimeout(r, 10));
      }
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      expect(fake.stats.succeeded).toBe(0);

      const rerun = await new Promise<{ code: number; stdout: string }>((resolve) =>
        execFile(process.execPath, [BIN, 'generate'], { cwd: dir, env }, (error, stdout) =>
          resolve({ code: error ? Number(error.code) : 0, stdout }),
        ),
      );
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
      const check = await new Promise<number>((resolve) =>
        execFile(process.execPath, [BIN, 'check'], { cwd: dir, env }, (error) =>
          resolve(error ? Number(error.code) : 0),
        ),
      );
      expect(check).toBe(0);
    } finally {
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
