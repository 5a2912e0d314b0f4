import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseLock } from '@pixlock/core';
import { startFakeKinovi } from '@pixlock/fake-kinovi';
import { expect, it } from 'vitest';
import { runPixlockInProcess } from './test-utils/run-pixlock-in-process.js';

const MANIFEST = `version: 1
provider: { name: kinovi, pollInterval: 50 }
outDir: out
defaults: { resolution: 1k, aspectRatio: "4:3", output: { format: webp, widths: [64, 128] } }
images:
  shot-0: { prompt: "shot number 0", seed: 0 }
`;

it('holds an image whose create answer was lost: the next run sends nothing for it, --force does', async () => {
  const fake = await startFakeKinovi({ queueMs: 20, latencyMs: 50 });
  const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-lost-create-'));
  const lockFile = path.join(dir, 'pixlock.lock');
  const env = { KINOVI_API_KEY: 'test-key', KINOVI_BASE_URL: fake.baseUrl };
  const run = (...args: string[]) => runPixlockInProcess(dir, args, env);
  try {
    await writeFile(path.join(dir, 'pixlock.yaml'), MANIFEST);
    // The server takes and charges the create, then the connection drops before the answer.
    fake.injectOnce({ route: 'createTask', kind: 'drop', afterProcessing: true });
    const lost = await run('generate');
    expect(lost.code).toBe(1);
    expect(lost.stdout).toMatch(/failed: shot-0: the answer to createTask was lost/);
    expect(lost.stdout).not.toContain('shot-0: shot-0');
    expect(fake.stats).toMatchObject({ creates: 1, creditsCharged: 15 });
    const record = parseLock(await readFile(lockFile, 'utf8'), lockFile).pending['shot-0'];
    expect(record).toMatchObject({ provider: 'kinovi', credits: 15 });
    expect(record?.taskId).toBeUndefined();

    const held = await run('generate');
    expect(held.code).toBe(1);
    expect(held.stdout).toMatch(/held: shot-0: an earlier run sent its create at /);
    expect(held.stdout).toContain('pixlock generate --force shot-0');
    expect(fake.stats.createCalls).toBe(1);

    const forced = await run('generate', '--force', 'shot-0');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/1 created/);
    expect(fake.stats.createCalls).toBe(2);
    expect((await run('check')).code).toBe(0);
  } finally {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  }
});
