import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, lstat, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPixlockInProcess } from './test-utils/run-pixlock-in-process.js';

// A command that fails writes nothing at all: not the lock, not an output, not a cache.
// Reading never writes; what a read would cache is written only when its command succeeds.

const manifest = `version: 1
provider: { name: placeholder }
outDir: generated
defaults:
  resolution: 1k
  output: { format: webp, widths: [64] }
images:
  a: { prompt: "First image", seed: 1 }
  b: { prompt: "Second image", seed: 2 }
`;

let base: string;
const made: string[] = [];

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'pixlock-failed-'));
  made.push(base);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: base, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'test');
  await writeFile(path.join(base, 'pixlock.yaml'), manifest);
  await writeFile(path.join(base, '.gitignore'), '.pixlock/cache/\n');
  expect((await runPixlockInProcess(base, ['generate'])).code).toBe(0);
  git('add', '-A');
  git('commit', '-q', '-m', 'images');
});
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

/** Every entry under `dir` (git's own folder too): a file by its sha256, a link by its target. */
async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const abs = path.join(e.parentPath, e.name);
    const rel = path.relative(dir, abs);
    const s = await lstat(abs);
    if (s.isSymbolicLink()) out[rel] = `link ${await readlink(abs)}`;
    else if (s.isDirectory()) out[rel] = 'folder';
    else
      out[rel] = createHash('sha256')
        .update(await readFile(abs))
        .digest('hex');
  }
  return out;
}

/**
 * A copy of the generated project, damaged by `damage`, with no cache left: a command that
 * cached what it read before failing would leave one behind.
 */
async function damaged(damage: (dir: string) => Promise<void>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-failed-case-'));
  made.push(dir);
  await cp(base, dir, { recursive: true, verbatimSymlinks: true });
  await rm(path.join(dir, '.pixlock', 'cache'), { recursive: true, force: true });
  await damage(dir);
  return dir;
}

const edit = (file: string, from: string, to: string) => async (dir: string) =>
  writeFile(path.join(dir, file), (await readFile(path.join(dir, file), 'utf8')).replace(from, to));

describe('a command that fails leaves the project byte for byte as it was', () => {
  it.each([
    ['a bad manifest', edit('pixlock.yaml', 'seed: 2', 'seed: two')],
    ['a damaged lock', edit('pixlock.lock', 'seed: 1', 'seed: one')],
    [
      // Inside the repository, so the manifest is valid: the link is found after it is read.
      'the output folder a link',
      async (dir: string) => {
        await cp(path.join(dir, 'generated'), path.join(dir, 'elsewhere'), { recursive: true });
        await rm(path.join(dir, 'generated'), { recursive: true });
        await symlink(path.join(dir, 'elsewhere'), path.join(dir, 'generated'));
      },
    ],
    [
      'the cache folder a link',
      async (dir: string) => {
        const outside = await mkdtemp(path.join(tmpdir(), 'pixlock-failed-outside-'));
        made.push(outside);
        await symlink(outside, path.join(dir, '.pixlock', 'cache'));
      },
    ],
  ])('%s: validate, plan, check and review', async (_what, damage) => {
    const dir = await damaged(damage);
    const before = await tree(dir);
    for (const args of [['validate'], ['plan'], ['check'], ['review']]) {
      const run = await runPixlockInProcess(dir, args);
      expect(run.code, `${args[0]}: ${run.stdout}${run.stderr}`).not.toBe(0);
      expect(await tree(dir), args[0]).toEqual(before);
    }
  });

  it('review with a ref that is no commit', async () => {
    const dir = await damaged(async () => {});
    const before = await tree(dir);
    const run = await runPixlockInProcess(dir, ['review', '--base', 'no-such-branch']);
    expect(run.stderr).toMatch(/"no-such-branch" is not a commit/);
    expect(run.code).not.toBe(0);
    expect(await tree(dir)).toEqual(before);
  });

  it('and the same commands, succeeding, refresh the caches', async () => {
    // The contrast that makes the cases above mean something: without damage, a check
    // writes the caches of what it read.
    const dir = await damaged(async () => {});
    expect((await runPixlockInProcess(dir, ['check'])).code).toBe(0);
    expect(Object.keys(await tree(dir))).toEqual(
      expect.arrayContaining([
        path.join('.pixlock', 'cache', 'manifest.json'),
        path.join('.pixlock', 'cache', 'parsed-lock.json'),
        path.join('.pixlock', 'cache', 'plan.json'),
      ]),
    );
  });
});
