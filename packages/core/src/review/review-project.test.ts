import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLock } from '../lock/parse-lock.js';
import { generate } from '../project/generate.js';
import { pick } from '../project/pick.js';
import { prune } from '../project/prune.js';
import { placeholderProvider } from '../providers/placeholder/placeholder-provider.js';
import { tempGitRepo, type TempGitRepo } from '../test-utils/temp-git-repo.js';
import { sha256 } from '../util/sha256.js';
import { reviewProject } from './review-project.js';
import type { Review, ReviewImage } from './review-types.js';

const MANIFEST = `version: 1
provider: { name: placeholder }
outDir: out
defaults: { resolution: 1k, aspectRatio: "1:1", output: { format: webp, width: 64 } }
images:
  a: { prompt: a paper plane at dusk, seed: 1 }
  b: { prompt: a glass padlock, seed: 2 }
  c: { prompt: a rocket, seed: 3 }
  e: { prompt: a kite, seed: 5 }
`;

let repo: TempGitRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

/** Base: a, b, c generated and committed (outputs ignored, originals committed unless told). */
async function project(ignore: string) {
  repo = await tempGitRepo();
  await repo.write('.gitignore', ignore);
  await repo.write('pixlock.yaml', MANIFEST);
  const config = path.join(repo.dir, 'pixlock.yaml');
  await generate({ config, provider: placeholderProvider() });
  repo.commit('base');
  // Head: a's prompt changes, b's width, c goes, d comes.
  await repo.write(
    'pixlock.yaml',
    MANIFEST.replace('a paper plane at dusk', 'a red paper plane at dawn')
      .replace(
        'b: { prompt: a glass padlock, seed: 2 }',
        'b: { prompt: a glass padlock, seed: 2, output: { format: webp, width: 32 } }',
      )
      .replace('  c: { prompt: a rocket, seed: 3 }\n', '  d: { prompt: a lighthouse, seed: 4 }\n'),
  );
  await generate({ config, provider: placeholderProvider() });
  await prune(config);
  return {
    config,
    dir: repo.dir,
    out: path.join(repo.dir, '..', `${path.basename(repo.dir)}-report`),
  };
}

const byId = (review: Review, id: string): ReviewImage => review.images.find((i) => i.id === id)!;

describe('reviewProject', () => {
  it('compares the committed state with the working tree, restoring base images from originals in git', async () => {
    const { config, out } = await project('out/\n.pixlock/cache/\n');
    const before = repo!.git('status', '--porcelain', '--ignored');
    try {
      const { review, outDir } = await reviewProject(config, { out });
      expect(outDir).toBe(out);
      expect(review.images.map((i) => [i.id, i.status])).toEqual([
        ['a', 'changed'],
        ['b', 'changed'],
        ['c', 'removed'],
        ['d', 'added'],
        ['e', 'unchanged'],
      ]);
      expect(byId(review, 'a').changes).toEqual(['prompt', 'regenerated', 'output files']);
      expect(byId(review, 'b').changes).toEqual(['output options', 'output files']);
      // Outputs are not committed and a's old original was pruned: both come from git's originals.
      const baseLock = parseLock(repo!.git('show', 'HEAD:pixlock.lock'), 'base');
      for (const id of ['a', 'c']) {
        const preview = byId(review, id).base!.preview!;
        expect(preview).toMatchObject({ from: 'original', width: 1024, height: 1024 });
        const shown = await readFile(path.join(out, (preview as { src: string }).src));
        expect(sha256(shown)).toBe(baseLock.images[id]!.original.sha256);
      }
      // The head's images are its output files on disk.
      expect(byId(review, 'a').head!.preview).toMatchObject({ from: 'disk', width: 64 });
      expect(byId(review, 'b').head!.files[0]).toMatchObject({
        width: 32,
        deltaBytes: expect.any(Number),
      });
      expect(byId(review, 'b').head!.files[0]!.deltaBytes).toBeLessThan(0);
      expect(review.summary).toMatchObject({ changed: 2, added: 1, removed: 1, unchanged: 1 });
      // Pictures for what changed only: the unchanged image is listed without one.
      expect(byId(review, 'e').head!.preview).toBeUndefined();
      const shown = review.images.flatMap((i) =>
        [i.base?.preview, i.head?.preview].flatMap((p) => (p && 'src' in p ? [p.src] : [])),
      );
      expect((await readdir(path.join(out, 'images'))).map((n) => `images/${n}`).sort()).toEqual(
        [...new Set(shown)].sort(),
      );
      const html = await readFile(path.join(out, 'index.html'), 'utf8');
      expect(html).toContain('<del>dusk</del>');
      expect(html).toContain('<ins>dawn</ins>');
      expect(JSON.parse(await readFile(path.join(out, 'review.json'), 'utf8'))).toEqual(review);
      expect(await readFile(path.join(out, 'summary.md'), 'utf8')).toContain(
        '- `a` changed: prompt',
      );
      // Nothing in the project was written.
      expect(repo!.git('status', '--porcelain', '--ignored')).toBe(before);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('says on the card when a base image cannot be restored, and never shows bytes that do not match', async () => {
    const { config, dir, out } = await project('out/\n.pixlock/\n');
    // A file where a's base original should be, with other bytes: it must not pass for the image.
    const baseLock = parseLock(repo!.git('show', 'HEAD:pixlock.lock'), 'base');
    const orig = baseLock.images.a!.original;
    await writeFile(path.join(dir, '.pixlock/originals', `${orig.sha256}.png`), 'not the image');
    try {
      const { review } = await reviewProject(config, { out });
      const preview = byId(review, 'a').base!.preview!;
      expect(preview).toEqual({ missing: expect.stringContaining('cannot show it') });
      expect((preview as { missing: string }).missing).toContain(
        `.pixlock/originals/${orig.sha256}.png`,
      );
      const html = await readFile(path.join(out, 'index.html'), 'utf8');
      expect(html).toContain('cannot show it');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('replaces an earlier report but refuses a folder that is not one, or a link', async () => {
    const { config, dir } = await project('out/\n.pixlock/cache/\n');
    const out = path.join(dir, 'report');
    await reviewProject(config, { out });
    await writeFile(path.join(out, 'images', 'stale.webp'), 'x');
    await reviewProject(config, { out });
    expect(await readdir(path.join(out, 'images'))).not.toContain('stale.webp');

    const mine = path.join(dir, 'mine');
    await mkdir(mine);
    await writeFile(path.join(mine, 'notes.txt'), 'keep me');
    await expect(reviewProject(config, { out: mine })).rejects.toMatchObject({ code: 'USAGE' });
    expect(await readFile(path.join(mine, 'notes.txt'), 'utf8')).toBe('keep me');
    const link = path.join(dir, 'link');
    await symlink(mine, link);
    await expect(reviewProject(config, { out: link })).rejects.toMatchObject({
      code: 'PATH_UNSAFE',
    });
    expect(await readdir(mine)).toEqual(['notes.txt']);
    // No temporary folder is left behind.
    expect((await readdir(dir)).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('reads the base manifest from git: a broken manifest in the working tree names the working tree', async () => {
    const { config } = await project('out/\n.pixlock/cache/\n');
    await repo!.write('pixlock.yaml', 'version: 1\nimages:\n  a: { prompt: 1, colour: red }\n');
    await expect(reviewProject(config, { out: path.join(repo!.dir, 'r') })).rejects.toMatchObject({
      code: 'MANIFEST_INVALID',
      message: expect.stringContaining('(in the working tree)'),
    });
    // A broken base names the ref.
    repo!.commit('broken');
    await expect(reviewProject(config, { out: path.join(repo!.dir, 'r') })).rejects.toMatchObject({
      code: 'MANIFEST_INVALID',
      message: expect.stringMatching(/\(in git ref HEAD \([0-9a-f]{7}\)\)/),
    });
  });

  it('counts everything as added when the base has no manifest yet', async () => {
    repo = await tempGitRepo();
    await repo.write('README.md', 'a site\n');
    repo.commit('before pixlock');
    await repo.write('pixlock.yaml', MANIFEST);
    const config = path.join(repo.dir, 'pixlock.yaml');
    await generate({ config, provider: placeholderProvider() });
    const { review } = await reviewProject(config, { out: path.join(repo.dir, 'r') });
    expect(review.summary).toMatchObject({ added: 4, changed: 0, removed: 0, unchanged: 0 });
    expect(review.summary.bytesAdded).toBe(review.summary.headBytes);
  });

  it('refuses a hostile lock at the base, naming the ref, and writes no report', async () => {
    repo = await tempGitRepo();
    await repo.write('pixlock.yaml', MANIFEST);
    const config = path.join(repo.dir, 'pixlock.yaml');
    await generate({ config, provider: placeholderProvider() });
    const lock = await readFile(path.join(repo.dir, 'pixlock.lock'), 'utf8');
    await repo.write('pixlock.lock', lock.replace('path: out/a.webp', 'path: ../../etc/passwd'));
    repo.commit('hostile');
    await repo.write('pixlock.lock', lock);
    const out = path.join(repo.dir, 'r');
    await expect(reviewProject(config, { out })).rejects.toMatchObject({
      code: 'LOCK_INVALID',
      message: expect.stringMatching(/pixlock\.lock:\d+:\d+: .*\(in git ref HEAD/),
    });
    await expect(readdir(out)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await readdir(repo.dir)).filter((n) => n.startsWith('r.'))).toEqual([]);
  });

  it("after pick, the seed is the chosen candidate's; an image redrawn for its reference says which", async () => {
    repo = await tempGitRepo();
    const manifest = `version: 1
provider: { name: placeholder }
outDir: out
defaults: { resolution: 1k, aspectRatio: "1:1", output: { format: webp, width: 64 } }
images:
  logo: { prompt: a fox logo, seed: 7, variants: 3 }
  mia: { prompt: Mia in a yellow raincoat, seed: 1 }
  scene: { prompt: Mia in a forest, seed: 2, references: [{ image: mia }] }
`;
    await repo.write('pixlock.yaml', manifest);
    const config = path.join(repo.dir, 'pixlock.yaml');
    await generate({ config, provider: placeholderProvider() });
    repo.commit('base');
    await pick(config, 'logo', 3);
    await repo.write('pixlock.yaml', manifest.replace('yellow raincoat', 'red raincoat'));
    await generate({ config, provider: placeholderProvider() });
    const lock = parseLock(await readFile(path.join(repo.dir, 'pixlock.lock'), 'utf8'), 'lock');
    const third = lock.images.logo!.candidates![2]!;
    const { review } = await reviewProject(config, { out: path.join(repo.dir, 'r') });
    const logo = byId(review, 'logo');
    expect([logo.head!.seed, logo.head!.chosen, logo.head!.taskId]).toEqual([
      third.seed,
      3,
      third.taskId,
    ]);
    expect([logo.base!.seed, logo.base!.chosen]).toEqual([7, 1]);
    expect(logo.changes).not.toContain('seed');
    expect(byId(review, 'scene').changes).toEqual([
      'regenerated',
      'reference mia changed',
      'output files',
    ]);
    const html = await readFile(path.join(repo.dir, 'r', 'index.html'), 'utf8');
    expect(html).toContain(`<td>${third.seed} (candidate 3)</td>`);
  });
});
