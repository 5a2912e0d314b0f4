import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from './test-utils/run-pixlock.js';
import { runPixlockInProcess } from './test-utils/run-pixlock-in-process.js';

function pixlock(cwd: string, ...args: string[]): Promise<Run> {
  return runPixlockInProcess(cwd, args);
}

const MANIFEST = `version: 1
provider: { name: placeholder }
outDir: out
defaults: { resolution: 1k, aspectRatio: "1:1", output: { format: webp, width: 64 } }
images:
  a: { prompt: first, seed: 1 }
  b: { prompt: second, seed: 2, output: { format: png, widths: [16, 32] } }
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pixlock-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('pixlock CLI (in process, through runCli)', () => {
  it('init writes a starter manifest that validates, and refuses to overwrite it', async () => {
    const d = await mkdtemp(path.join(dir, 'init-'));
    expect((await pixlock(d, 'init')).code).toBe(0);
    expect(await pixlock(d, 'validate')).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/valid: 2 images/),
    });
    const again = await pixlock(d, 'init');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
  });

  it('exits 2 with file:line:column for a bad manifest, without a stack trace', async () => {
    const d = await mkdtemp(path.join(dir, 'bad-'));
    await writeFile(
      path.join(d, 'pixlock.yaml'),
      MANIFEST.replace('format: png', 'format: gif').replace('seed: 1', 'sed: 1'),
    );
    const r = await pixlock(d, 'validate');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pixlock.yaml:6:23: unknown key "sed" (did you mean "seed"?)');
    expect(r.stderr).toContain('pixlock.yaml:7:51: "gif" is not allowed here');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const json = await pixlock(d, 'plan', '--json');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      error: { code: 'MANIFEST_INVALID', diagnostics: expect.any(Array) },
    });
  });

  it('exits 2 for bad arguments and an unknown lockfile version', async () => {
    const d = await mkdtemp(path.join(dir, 'args-'));
    await writeFile(path.join(d, 'pixlock.yaml'), MANIFEST);
    expect((await pixlock(d, 'generate', '--concurrency', '0')).code).toBe(2);
    expect((await pixlock(d, 'generate', '--no-such-flag')).code).toBe(2);
    expect((await pixlock(d, 'plan', '--config', 'missing.yaml')).code).toBe(2);
    await writeFile(path.join(d, 'pixlock.lock'), 'lockfileVersion: 99\nimages: {}\n');
    const r = await pixlock(d, 'plan');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/LOCK_VERSION_UNSUPPORTED.*lockfileVersion 99.*upgrade pixlock/);
  });

  it('plans, generates, checks, restores and prunes with the documented exit codes', async () => {
    const d = await mkdtemp(path.join(dir, 'flow-'));
    await writeFile(path.join(d, 'pixlock.yaml'), MANIFEST);

    const planned = await pixlock(d, 'plan', '--json');
    expect(planned.code).toBe(0);
    expect(JSON.parse(planned.stdout)).toMatchObject({
      version: 1,
      entries: [
        { id: 'a', action: 'create', credits: 0 },
        { id: 'b', action: 'create', credits: 0 },
      ],
      credits: 0,
      usd: 0,
    });
    const text = await pixlock(d, 'plan');
    expect(text.stdout).toMatch(/^ {2}\+ a\s+create/m);

    const gen = await pixlock(d, 'generate');
    expect(gen.code).toBe(0);
    expect(gen.stdout).toMatch(/Done: 2 created/);
    const lock = await readFile(path.join(d, 'pixlock.lock'), 'utf8');

    const again = await pixlock(d, 'generate', '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).run.counts).toMatchObject({ created: 0, unchanged: 2 });
    expect(await readFile(path.join(d, 'pixlock.lock'), 'utf8')).toBe(lock);
    expect((await pixlock(d, 'check')).code).toBe(0);

    await unlink(path.join(d, 'out/b-16.png'));
    const drift = await pixlock(d, 'check');
    expect(drift.code).toBe(1);
    expect(drift.stdout).toMatch(/b: restore \(out\/b-16\.png missing\)/);
    const restored = await pixlock(d, 'generate', '--frozen', '--json');
    expect(restored.code).toBe(0);
    expect(JSON.parse(restored.stdout).run.counts.restored).toBe(1);
    expect((await pixlock(d, 'check', '--json')).code).toBe(0);

    await writeFile(path.join(d, 'pixlock.yaml'), MANIFEST + '  c: { prompt: third }\n');
    const frozen = await pixlock(d, 'generate', '--frozen');
    expect(frozen.code).toBe(1);
    expect(frozen.stdout).toMatch(/--frozen: 1 image needs the provider: c/);

    await writeFile(path.join(d, 'pixlock.yaml'), MANIFEST.replace(/ {2}b: .*\n/, ''));
    const pruned = await pixlock(d, 'prune', '--json');
    expect(pruned.code).toBe(0);
    expect(JSON.parse(pruned.stdout)).toMatchObject({
      ids: ['b'],
      files: ['out/b.png', 'out/b-16.png', 'out/b-32.png'],
    });
    expect((await pixlock(d, 'check')).code).toBe(0);
  });

  it('generates only the ids --only names', async () => {
    const d = await mkdtemp(path.join(dir, 'only-'));
    await writeFile(path.join(d, 'pixlock.yaml'), MANIFEST);
    const r = await pixlock(d, 'generate', '--only', 'b', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).run.results.map((x: { id: string }) => x.id)).toEqual(['b']);
    expect((await pixlock(d, 'check')).code).toBe(1);
  });
});
