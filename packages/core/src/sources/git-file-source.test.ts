import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isPixlockError } from '../errors.js';
import { loadManifest } from '../manifest/load-manifest.js';
import { tempGitRepo, type TempGitRepo } from '../test-utils/temp-git-repo.js';
import { gitFileSource } from './git-file-source.js';
import { nodeFileSource } from './node-file-source.js';

let repo: TempGitRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

async function twoCommits() {
  repo = await tempGitRepo();
  await repo.write('site/pixlock.yaml', 'version: 1\n');
  await repo.write('site/src/a.pixlock.yaml', 'images: {}\n');
  await repo.write('site/node_modules/x/b.pixlock.yaml', 'images: {}\n');
  const first = repo.commit('first');
  await repo.write('site/pixlock.yaml', 'version: 1 # second\n');
  await repo.write('site/src/c.pixlock.yaml', 'images: {}\n');
  const second = repo.commit('second');
  await repo.write('site/pixlock.yaml', 'version: 1 # working tree\n');
  return { first, second, site: path.join(repo.dir, 'site') };
}

describe('gitFileSource', () => {
  it('reads files as they were at the ref, not as the working tree has them', async () => {
    const { first, site } = await twoCommits();
    const head = await gitFileSource(site, 'HEAD');
    const old = await gitFileSource(site, 'HEAD~1');
    expect(old.commit).toBe(first);
    expect((await head.readFile(path.join(site, 'pixlock.yaml'))).toString()).toBe(
      'version: 1 # second\n',
    );
    expect((await old.readFile(path.join(site, 'pixlock.yaml'))).toString()).toBe('version: 1\n');
    expect(head.description).toMatch(/^git ref HEAD \([0-9a-f]{7}\)$/);
  });

  it('globs over the tree of the ref, relative to a folder, skipping node_modules', async () => {
    const { site } = await twoCommits();
    const old = await gitFileSource(site, 'HEAD~1');
    const head = await gitFileSource(site, 'main');
    const pattern = ['src/**/*.pixlock.yaml', '**/*.pixlock.yaml'];
    expect(await old.glob(pattern, site)).toEqual([path.join(site, 'src/a.pixlock.yaml')]);
    expect(await head.glob(pattern, site)).toEqual([
      path.join(site, 'src/a.pixlock.yaml'),
      path.join(site, 'src/c.pixlock.yaml'),
    ]);
    // Patterns reaching up or out find only the tree's own files, never the disk's.
    expect(await head.glob(['/etc/*', '../../**', '../../../*'], site)).toEqual([]);
    expect(await head.glob(['../site/src/*.yaml'], site)).toEqual([
      path.join(site, 'src/a.pixlock.yaml'),
      path.join(site, 'src/c.pixlock.yaml'),
    ]);
    expect(await head.glob(['../**/pixlock.yaml'], path.join(site, 'src'))).toEqual([
      path.join(site, 'pixlock.yaml'),
    ]);
    // The node source sees the same files in the working tree.
    expect(await nodeFileSource.glob(pattern, site)).toEqual(await head.glob(pattern, site));
  });

  it('has no file outside the tree, none only in the working tree, and never a link', async () => {
    const { site } = await twoCommits();
    await symlink('/etc/passwd', path.join(site, 'link.yaml'));
    repo!.commit('a link');
    const head = await gitFileSource(site, 'HEAD');
    await repo!.write('site/untracked.yaml', 'x');
    for (const file of ['untracked.yaml', 'link.yaml', '../../etc/passwd', '/etc/passwd', 'src']) {
      const abs = path.resolve(site, file);
      expect(await head.exists(abs)).toBe(false);
      await expect(head.readFile(abs)).rejects.toMatchObject({ code: 'ENOENT' });
    }
  });

  it('refuses a ref that could be an option or is not a commit, naming it', async () => {
    const { site } = await twoCommits();
    for (const ref of ['--output=/tmp/x', '-p', 'a b', 'main\nHEAD', '']) {
      const error = await gitFileSource(site, ref).catch((e: unknown) => e);
      expect(isPixlockError(error, 'USAGE')).toBe(true);
    }
    await expect(gitFileSource(site, 'no-such-branch')).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringContaining('"no-such-branch" is not a commit'),
    });
  });

  it('fails with GIT_FAILED outside a repository', async () => {
    const error = await gitFileSource('/', 'HEAD').catch((e: unknown) => e);
    expect(isPixlockError(error, 'GIT_FAILED')).toBe(true);
  });
});

describe('loadManifest through a git source', () => {
  it('loads the manifest and its includes as committed at the ref', async () => {
    repo = await tempGitRepo();
    const main =
      'version: 1\nprovider: { name: placeholder }\ninclude: ["parts/*.yaml"]\nimages:\n  a: { prompt: first a }\n';
    await repo.write('pixlock.yaml', main);
    await repo.write('parts/b.yaml', 'images:\n  b: { prompt: first b }\n');
    repo.commit('base');
    await repo.write('pixlock.yaml', main.replace('first a', 'second a'));
    await repo.write('parts/c.yaml', 'images:\n  c: { prompt: only in the working tree }\n');
    const file = path.join(repo.dir, 'pixlock.yaml');

    const base = await loadManifest(file, await gitFileSource(repo.dir, 'HEAD'));
    expect(base.images.map((i) => [i.id, i.prompt])).toEqual([
      ['a', 'first a'],
      ['b', 'first b'],
    ]);
    expect(base.images[1]!.sourceFile).toBe(path.join(repo.dir, 'parts/b.yaml'));
    const head = await loadManifest(file);
    expect(head.images.map((i) => i.id)).toEqual(['a', 'b', 'c']);
  });

  it('says MANIFEST_NOT_FOUND when the ref has no manifest', async () => {
    repo = await tempGitRepo();
    await repo.write('README', 'x');
    repo.commit('no manifest yet');
    await repo.write('pixlock.yaml', 'version: 1\n');
    const source = await gitFileSource(repo.dir, 'HEAD');
    await expect(loadManifest(path.join(repo.dir, 'pixlock.yaml'), source)).rejects.toMatchObject({
      code: 'MANIFEST_NOT_FOUND',
    });
  });
});
