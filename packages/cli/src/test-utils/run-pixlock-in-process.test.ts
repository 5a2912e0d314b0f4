import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPixlockInProcess } from './run-pixlock-in-process.js';

// Runs in one process must not see each other: each has its own working directory,
// environment and output, and the process's own are left alone.

const manifest = (ids: string[]) =>
  [
    'version: 1',
    'provider: { name: placeholder }',
    'defaults: { resolution: 1k, output: { format: webp, width: 16 } }',
    'images:',
    ...ids.map((id, i) => `  ${id}: { prompt: "${id}", seed: ${i} }`),
  ].join('\n') + '\n';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'pixlock-in-process-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function project(name: string, ids: string[]): Promise<string> {
  const dir = await mkdtemp(path.join(root, `${name}-`));
  await writeFile(path.join(dir, 'pixlock.yaml'), manifest(ids));
  return dir;
}

describe('runPixlockInProcess', () => {
  it('runs side by side with its own folder, environment and output', async () => {
    const cwd = process.cwd();
    const settings = () => ['CI', 'FORCE_COLOR', 'NO_COLOR'].map((k) => process.env[k]);
    const before = settings();
    const a = await project('a', ['apple', 'apricot']);
    const b = await project('b', ['banana']);
    const [planA, planB, genA, genB] = await Promise.all([
      runPixlockInProcess(a, ['plan'], { FORCE_COLOR: '1' }),
      runPixlockInProcess(b, ['plan'], { FORCE_COLOR: '1', NO_COLOR: '1' }),
      runPixlockInProcess(a, ['generate', '--dry-run']),
      runPixlockInProcess(b, ['generate']),
    ]);
    expect(planA.stdout).toContain('\x1b[32m');
    expect(planA.stdout).toMatch(/apple[\s\S]*apricot/);
    expect(planA.stdout).not.toContain('banana');
    expect(planB.stdout).not.toContain('\x1b[');
    expect(planB.stdout).toContain('banana');
    expect(planB.stdout).not.toContain('apple');
    expect(genA).toMatchObject({ code: 0, stderr: '' });
    expect(genA.stdout).not.toContain('banana');
    expect(genB).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Done: 1 created/) });
    expect(genB.stderr).toBe('✓ banana: created\n');
    expect(process.cwd()).toBe(cwd);
    // (sharp sets VIPSHOME when it loads: the settings a run is given are what must not leak.)
    expect(settings()).toEqual(before);
  });

  it('reads the argv paths from its own folder, not the process working directory', async () => {
    const a = await project('rel', ['only-here']);
    const run = await runPixlockInProcess(a, ['validate', '--config', './pixlock.yaml']);
    expect(run).toEqual({ code: 0, stdout: 'valid: 1 image in 1 file; lock ok\n', stderr: '' });
    const elsewhere = await runPixlockInProcess(root, ['validate']);
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toContain(`no manifest at ${path.join(root, 'pixlock.yaml')}`);
  });
});
