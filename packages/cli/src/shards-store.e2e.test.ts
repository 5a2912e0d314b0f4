import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseLock } from '@pixlock/core';
import { FAKE_S3_ACCESS_KEY_ID, startFakeS3 } from '@pixlock/fake-s3';
import { startFakeKinovi } from '@pixlock/fake-kinovi';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runPixlock } from './test-utils/run-pixlock.js';
import { runPixlockInProcess } from './test-utils/run-pixlock-in-process.js';

const IMAGES = 12;

function manifest(bucket: string): string {
  return `version: 1
provider: { name: kinovi, pollInterval: 30 }
outDir: out
store: { url: "s3://${bucket}/ci", outputs: true }
concurrency: 4
defaults: { resolution: 1k, aspectRatio: "4:3", output: { formats: [webp, png], widths: [24, 48] } }
images:
${Array.from({ length: IMAGES }, (_, i) => `  shot-${i}: { prompt: "shot ${i}", seed: ${i}${i === 3 ? ', references: [{ image: shot-2 }]' : ''} }`).join('\n')}
`;
}

// The SDK reads credentials from process.env: set for the in-process runs of this file only.
const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: FAKE_S3_ACCESS_KEY_ID,
  AWS_SECRET_ACCESS_KEY: 'e2e-secret-not-checked',
};
const saved: Record<string, string | undefined> = {};
beforeAll(() => {
  for (const [k, v] of Object.entries(CREDENTIALS)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
});
afterAll(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A runner's checkout: its own folder holding `files`. */
async function checkout(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-shards-store-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

describe('CI shards with a store', () => {
  it('4 shard processes (and a duplicate of one) on their own runners, merged from the store, restored on a fresh clone', async () => {
    const fake = await startFakeKinovi({ queueMs: 20, latencyMs: 100, concurrencyLimit: 16 });
    const s3 = await startFakeS3();
    try {
      const text = manifest(s3.bucket);
      const env = {
        KINOVI_API_KEY: 'test-key',
        KINOVI_BASE_URL: fake.baseUrl,
        AWS_ENDPOINT_URL_S3: s3.endpoint,
        AWS_REGION: 'us-east-1',
        ...CREDENTIALS,
      };
      const runners = await Promise.all(
        [1, 2, 3, 4, 1].map(() => checkout({ 'pixlock.yaml': text })),
      );
      // Shard 1 is given twice by mistake: a fifth process, on a runner of its own.
      const runs = await Promise.all(
        [1, 2, 3, 4, 1].map((i, k) =>
          runPixlock(runners[k]!, ['generate', '--shard', `${i}/4`], env),
        ),
      );
      for (const r of runs.slice(0, 4)) expect([0, 75], r.stderr).toContain(r.code);
      // Of the two runs of shard 1 one paid; the other was refused (75, nothing paid) or, had
      // it started after the first published, resumed from the store (0, nothing paid).
      const ones = [runs[0]!, runs[4]!];
      expect(ones.filter((r) => r.code === 0).length).toBeGreaterThanOrEqual(1);
      for (const r of ones.filter((r) => r.code === 75))
        expect(r.stderr).toMatch(
          /error SHARD_CLAIMED: shard 1\/4 of this manifest and lock is claimed in the store by runner/,
        );
      for (const r of runs.slice(1, 4)) expect(r.code, r.stderr).toBe(0);
      const said = runs.map(
        (r) =>
          `${r.code}: ${r.stderr
            .split('\n')
            .filter((l) => /error|created/.test(l))
            .join(' | ')}`,
      );
      expect({ ...fake.stats.createsByPrompt }, said.join('\n')).toEqual(
        Object.fromEntries(Array.from({ length: IMAGES }, (_, i) => [`shot ${i}`, 1])),
      );
      expect(fake.stats.creates).toBe(IMAGES);
      // The merge runner: a fresh checkout, no artifacts; the shard locks come from the store.
      const merger = await checkout({ 'pixlock.yaml': text });
      const merged = await runPixlockInProcess(merger, ['merge'], env);
      expect(merged.code, merged.stderr).toBe(0);
      expect(merged.stdout).toMatch(
        new RegExp(`merged 4 shards into pixlock.lock: ${IMAGES} images changed`),
      );
      const lockText = await readFile(path.join(merger, 'pixlock.lock'), 'utf8');
      const lock = parseLock(lockText, 'pixlock.lock');
      expect(Object.keys(lock.images)).toHaveLength(IMAGES);
      expect(lock.pending).toEqual({});
      expect((await runPixlockInProcess(merger, ['check', '--store'], env)).code).toBe(0);
      // A fresh clone of the merged commit: manifest and lock only; everything from the store.
      const clone = await checkout({ 'pixlock.yaml': text, 'pixlock.lock': lockText });
      const restored = await runPixlockInProcess(clone, ['generate', '--frozen'], env);
      expect(restored.code, restored.stderr).toBe(0);
      expect(restored.stdout).toMatch(new RegExp(`${IMAGES} restored`));
      expect((await runPixlockInProcess(clone, ['check'], env)).code).toBe(0);
      expect((await readdir(path.join(clone, 'out'))).length).toBe(IMAGES * 4);
      expect(fake.stats.creates).toBe(IMAGES);
    } finally {
      await s3.close();
      await fake.close();
    }
  }, 60_000);
});
