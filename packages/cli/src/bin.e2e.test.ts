import { mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { runPixlock, type Run } from './test-utils/run-pixlock.js';
import { runPixlockInProcess } from './test-utils/run-pixlock-in-process.js';

// The built bin as a real process, beside the in-process entry the other CLI tests use: the
// same argv and environment must give the same exit code, stdout and stderr, byte for byte.
// What reaches a command from its process (argv, working directory, NO_COLOR / FORCE_COLOR,
// the provider's key and URL, CI) is covered here, so a read of the process that bypasses
// the Terminal shows up as a difference.

const MANIFEST = `version: 1
provider: { name: placeholder }
outDir: out
concurrency: 1
defaults: { resolution: 1k, aspectRatio: "1:1", output: { format: webp, width: 32 } }
images:
  a: { prompt: first, seed: 1 }
  team/b: { prompt: second, seed: 2, output: { format: png, widths: [16, 24] } }
`;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'pixlock-bin-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function project(name: string, manifest = MANIFEST): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(dir);
  await writeFile(path.join(dir, 'pixlock.yaml'), manifest);
  return dir;
}

/** Both runs, one after the other, in `dir`: for commands that write nothing. */
async function both(dir: string, args: string[], env: Record<string, string | undefined> = {}) {
  const bin = await runPixlock(dir, args, env);
  const inProcess = await runPixlockInProcess(dir, args, env);
  return { bin, inProcess };
}

// Each test works in folders of its own: they run side by side.
describe.concurrent('the bin and the in-process entry', () => {
  it('print the same version and help', async ({ expect }) => {
    for (const args of [['--version'], ['--help'], ['generate', '--help']]) {
      const { bin, inProcess } = await both(root, args);
      expect(bin.code).toBe(0);
      expect(inProcess).toEqual(bin);
    }
  });

  it('report a bad manifest, bad arguments and a usage error under --json alike', async ({
    expect,
  }) => {
    const dir = await project('bad', MANIFEST.replace('seed: 1', 'sed: 1'));
    for (const args of [
      ['validate'],
      ['plan', '--json'],
      ['plan', '--detailed-exitcode'],
      ['generate', '--concurrency', '0'],
      ['generate', '--no-such-flag', '--json'],
      ['check', '--config', 'missing.yaml'],
    ]) {
      const { bin, inProcess } = await both(dir, args);
      expect(bin.code, args.join(' ')).not.toBe(0);
      expect(inProcess, args.join(' ')).toEqual(bin);
    }
    expect((await runPixlockInProcess(dir, ['validate'])).stderr).toContain(
      'pixlock.yaml:7:23: unknown key "sed" (did you mean "seed"?)',
    );
  });

  it('plan, colour and the provider settings come from the environment given', async ({
    expect,
  }) => {
    const dir = await project('env');
    const cases: [string[], Record<string, string | undefined>][] = [
      [['plan'], {}],
      [['plan', '--json'], {}],
      [['plan'], { FORCE_COLOR: '1' }],
      [['plan'], { FORCE_COLOR: '1', NO_COLOR: '1' }],
      [['plan', '--config', 'sub/../pixlock.yaml'], {}],
    ];
    for (const [args, env] of cases) {
      const { bin, inProcess } = await both(dir, args, env);
      expect(bin.code).toBe(0);
      expect(inProcess, `${args.join(' ')} ${JSON.stringify(env)}`).toEqual(bin);
    }
    expect((await runPixlockInProcess(dir, ['plan'], { FORCE_COLOR: '1' })).stdout).toContain(
      '\x1b[32m',
    );
    // The provider's settings are read from the environment of the run: without a key, the
    // run stops for it; with one, the plain-http URL given beside it is refused.
    const kinovi = await project('kinovi', MANIFEST.replace('name: placeholder', 'name: kinovi'));
    const noKey = { KINOVI_API_KEY: undefined, KINOVI_BASE_URL: undefined };
    const withKey = { KINOVI_API_KEY: 'sk-test-123', KINOVI_BASE_URL: 'http://example.com/api' };
    const missing = await both(kinovi, ['generate'], noKey);
    expect(missing.bin).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('PROVIDER_AUTH'),
    });
    expect(missing.inProcess).toEqual(missing.bin);
    const given = await both(kinovi, ['generate'], withKey);
    expect(given.bin).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('KINOVI_BASE_URL: plain http to example.com'),
    });
    expect(given.inProcess).toEqual(given.bin);
  });

  it('generate, check and prune write and say the same', async ({ expect }) => {
    const a = await project('gen-bin');
    const b = await project('gen-in-process');
    // Images finish in no fixed order: the progress lines on stderr are compared as a set.
    const lines = (text: string) => text.split('\n').sort();
    const same = (x: Run, y: Run) => {
      expect({ code: y.code, stdout: y.stdout.replaceAll(b, a) }).toEqual({
        code: x.code,
        stdout: x.stdout,
      });
      expect(lines(y.stderr.replaceAll(b, a))).toEqual(lines(x.stderr));
    };
    const step = async (args: string[]) => {
      const bin = await runPixlock(a, args);
      const inProcess = await runPixlockInProcess(b, args);
      same(bin, inProcess);
      return bin;
    };
    expect((await step(['generate'])).stdout).toMatch(/^Done: 2 created/);
    for (const f of ['out/a.webp', 'out/team/b-16.png'])
      expect(await readFile(path.join(b, f))).toEqual(await readFile(path.join(a, f)));
    const lock = async (dir: string) =>
      (await readFile(path.join(dir, 'pixlock.lock'), 'utf8')).replace(/generatedAt: .*/g, '');
    expect(await lock(b)).toBe(await lock(a));
    await unlink(path.join(a, 'out/team/b-16.png'));
    await unlink(path.join(b, 'out/team/b-16.png'));
    expect((await step(['check'])).code).toBe(1);
    expect((await step(['generate', '--frozen'])).stdout).toMatch(/1 restored/);
    for (const dir of [a, b])
      await writeFile(path.join(dir, 'pixlock.yaml'), MANIFEST.replace(/ {2}team\/b: .*\n/, ''));
    expect((await step(['prune'])).code).toBe(0);
    expect((await step(['check', '--json'])).code).toBe(0);
  });
});
