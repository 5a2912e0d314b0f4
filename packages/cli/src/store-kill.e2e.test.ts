import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAKE_S3_ACCESS_KEY_ID, startFakeS3 } from '@pixlock/fake-s3';
import { startFakeKinovi } from '@pixlock/fake-kinovi';
import { describe, expect, it } from 'vitest';
import { runPixlockInProcess } from './test-utils/run-pixlock-in-process.js';
import { ageStaleRunLock } from './test-utils/stale-run-lock.js';

// The run that is killed is the built bin in its own process; the runs after it need none.
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const IMAGES = 4;

describe('kill -9 between keeping an original and storing it', () => {
  it('the next run pushes it first and pays for nothing twice', async () => {
    const fake = await startFakeKinovi({ queueMs: 20, latencyMs: 50 });
    const s3 = await startFakeS3();
    const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-store-kill-'));
    // Credentials go to the SDK through process.env, in the child and (in process) here.
    const credentials = { AWS_ACCESS_KEY_ID: FAKE_S3_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: 'x' };
    const saved = Object.fromEntries(Object.keys(credentials).map((k) => [k, process.env[k]]));
    Object.assign(process.env, credentials);
    const env = {
      ...process.env,
      CI: '1',
      KINOVI_API_KEY: 'test-key',
      KINOVI_BASE_URL: fake.baseUrl,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_REGION: 'us-east-1',
    };
    try {
      await writeFile(
        path.join(dir, 'pixlock.yaml'),
        `version: 1
provider: { name: kinovi, pollInterval: 20 }
outDir: out
store: { url: "s3://${s3.bucket}/site", outputs: true }
defaults: { resolution: 1k, aspectRatio: "1:1", output: { format: webp, widths: [64, 128] } }
images:
${Array.from({ length: IMAGES }, (_, i) => `  shot-${i}: { prompt: "shot ${i}", seed: ${i} }\n`).join('')}`,
      );
      // Every original's upload hangs: each image is recorded, its original kept locally, and
      // the run is killed while it waits on the store.
      s3.inject({ op: 'put', keyIncludes: '/originals/', delayMs: 10_000, times: 1000 });
      const child = spawn(process.execPath, [BIN, 'generate'], { cwd: dir, env, stdio: 'ignore' });
      const journal = path.join(dir, '.pixlock', 'journal.jsonl');
      const unpushed = path.join(dir, '.pixlock', 'unpushed.jsonl');
      for (let i = 0; ; i++) {
        if (i > 1500) throw new Error('the moment to kill never came');
        const images = (await readFile(journal, 'utf8').catch(() => ''))
          .split('\n')
          .filter((l) => l.startsWith('{"image":')).length;
        const unstored = (await readFile(unpushed, 'utf8').catch(() => ''))
          .split('\n')
          .filter((l) => l.startsWith('{"unstored":"originals/')).length;
        if (images === IMAGES && unstored === IMAGES && s3.stats.faults >= IMAGES) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      expect(await ageStaleRunLock(dir)).toBe(true);
      expect(fake.stats.creates).toBe(IMAGES);
      s3.clearFaults();

      const pixlock = (...args: string[]) => runPixlockInProcess(dir, args, env);
      const check = await pixlock('check', '--store');
      expect(check.code).toBe(1);
      expect(check.stdout).toMatch(/originals\//);
      const rerun = await pixlock('generate');
      expect(rerun.code).toBe(0);
      // Nothing created or even polled again: the killed run's images were recorded.
      expect(fake.stats.creates).toBe(IMAGES);
      expect(Object.values({ ...fake.stats.createsByPrompt })).toEqual(Array(IMAGES).fill(1));
      expect(existsSync(unpushed)).toBe(false);
      expect(await pixlock('check', '--store')).toMatchObject({ code: 0 });
      expect((await pixlock('check')).code).toBe(0);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await fake.close();
      await s3.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
