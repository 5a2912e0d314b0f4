import { mkdir, mkdtemp, readdir, rename, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { isPixlockError } from '../errors.js';
import { projectPaths } from '../disk/project-paths.js';
import { localFiles } from './local-files.js';

let root: string | undefined;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  root = undefined;
});

it('sees outDir swapped for a symlink after an earlier write found it a real folder', async () => {
  root = await mkdtemp(path.join(tmpdir(), 'pixlock-swap-'));
  const dir = path.join(root, 'repo');
  const outside = path.join(root, 'outside');
  await mkdir(dir);
  await mkdir(outside);
  const store = localFiles(projectPaths(path.join(dir, 'pixlock.yaml')), {
    outDir: 'generated',
  }).outputs;
  await store.writeOutput('generated/team/a.png', Buffer.from('one'));
  // Mid-run, another process swaps the folder (or a subfolder) for a link leading outside.
  await rename(path.join(dir, 'generated'), path.join(dir, 'old'));
  await symlink(outside, path.join(dir, 'generated'));
  const error = await store.writeOutput('generated/b.png', Buffer.from('two')).catch((e) => e);
  expect(isPixlockError(error, 'PATH_UNSAFE')).toBe(true);
  await rm(path.join(dir, 'generated'));
  await rename(path.join(dir, 'old'), path.join(dir, 'generated'));
  await rename(path.join(dir, 'generated/team'), path.join(dir, 'team-old'));
  await symlink(outside, path.join(dir, 'generated/team'));
  const again = await store.writeOutput('generated/team/c.png', Buffer.from('3')).catch((e) => e);
  expect(isPixlockError(again, 'PATH_UNSAFE')).toBe(true);
  await expect(store.removeOutput('generated/team/x.png')).rejects.toThrow(/symlink/);
  expect(await readdir(outside)).toEqual([]);
});

it('writes an output through .pixlock/tmp, leaving no tmp/ folder beside the manifest', async () => {
  root = await mkdtemp(path.join(tmpdir(), 'pixlock-tmp-'));
  const store = localFiles(projectPaths(path.join(root, 'pixlock.yaml')), {
    outDir: 'generated',
  }).outputs;
  await store.writeOutput('generated/a.png', Buffer.from('one'));
  expect((await readdir(root)).sort()).toEqual(['.pixlock', 'generated']);
  expect(await readdir(path.join(root, '.pixlock'))).toEqual(['tmp']);
});
