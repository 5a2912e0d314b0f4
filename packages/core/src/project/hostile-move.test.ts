import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isPixlockError } from '../errors.js';
import { parseLock } from '../lock/parse-lock.js';
import { serializeLock } from '../lock/serialize-lock.js';
import type { Lockfile } from '../lock/lockfile.js';
import {
  countingProvider,
  SMALL_MANIFEST,
  tempProject,
  type TempProject,
} from '../test-utils/temp-project.js';
import { check } from './check.js';
import { generate } from './generate.js';
import { prune } from './prune.js';
import { sha256 } from '../util/sha256.js';

// A lock may name outputs in a folder other than outDir (an earlier outDir: a move). A hostile
// one uses that to aim at files it wants moved or deleted. What must hold: nothing outside the
// project, in .git or .pixlock, or through a link is read, written or removed; a file is taken
// (moved, or removed) only when it holds exactly the bytes the lock records, and never when the
// manifest reads it; nothing is paid for.

let project: TempProject | undefined;
let outside: string | undefined;
afterEach(async () => {
  await project?.cleanup();
  if (outside) await rm(outside, { recursive: true, force: true });
  project = outside = undefined;
});

async function setup(manifest = SMALL_MANIFEST) {
  project = await tempProject({ '.git/HEAD': 'ref: refs/heads/main\n', 'pixlock.yaml': manifest });
  const counting = countingProvider();
  await generate({ config: project.config, provider: counting.provider });
  outside = await mkdtemp(path.join(tmpdir(), 'pixlock-victim-'));
  const lock = parseLock(await project.read('pixlock.lock'), 'pixlock.lock');
  return { p: project, victim: outside, lock, counting, creates: counting.calls.create };
}

/** hero's outputs (full size, widths 320 and 640) named in `folder` instead of `generated`. */
function heroIn(lock: Lockfile, folder: string): Lockfile {
  const copy = structuredClone(lock);
  for (const f of copy.images.hero!.output.files)
    f.path = f.path.replace(/^generated\//, `${folder}/`);
  return copy;
}

const run = (p: TempProject) =>
  generate({ config: p.config, provider: countingProvider().provider });

describe('a hostile lock naming outputs outside outDir', () => {
  it('a file of the user under a pixlock name, with other bytes, is left alone', async () => {
    const { p, lock, counting, creates } = await setup();
    await p.write('src/hero-320.webp', 'mine');
    await p.write('pixlock.lock', serializeLock(heroIn(lock, 'src')));
    const result = await generate({ config: p.config, frozen: true });
    expect(result.run!.results.find((r) => r.id === 'hero')!.outcome).toBe('moved');
    expect(await p.read('src/hero-320.webp')).toBe('mine');
    expect(counting.calls.create).toBe(creates);
    expect((await check(p.config)).ok).toBe(true);
  });

  it('a file the manifest reads (a reference) is never removed, even with the very bytes', async () => {
    const { p, lock } = await setup();
    await mkdir(path.join(p.dir, 'brand'));
    await copyFile(
      path.join(p.dir, 'generated/hero-320.webp'),
      path.join(p.dir, 'brand/hero-320.webp'),
    );
    const manifest = SMALL_MANIFEST.replace(
      'output: { format: jpeg, width: 300 }',
      'output: { format: jpeg, width: 300 }\n    references: [./brand/hero-320.webp]',
    );
    await p.write('pixlock.yaml', manifest);
    await p.write('pixlock.lock', serializeLock(heroIn(lock, 'brand')));
    const bytes = await p.readBytes('brand/hero-320.webp');
    await run(p);
    expect(await p.readBytes('brand/hero-320.webp')).toEqual(bytes);
    expect((await check(p.config)).ok).toBe(true);
  });

  it('a path in .git is a damaged lock: refused at its line, nothing written', async () => {
    const { p, lock } = await setup();
    const text = serializeLock(heroIn(lock, '.git/objects'));
    await p.write('pixlock.lock', text);
    for (const command of [() => run(p), () => check(p.config), () => prune(p.config)]) {
      const error = await command().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isPixlockError(error, 'LOCK_INVALID')).toBe(true);
      expect((error as Error).message).toMatch(/pixlock\.lock:\d+:\d+: .*is inside \.git/);
    }
    expect(await p.read('pixlock.lock')).toBe(text);
  });

  it("one image's outputs in two folders is a damaged lock", async () => {
    const { p, lock } = await setup();
    const bad = heroIn(lock, 'old');
    bad.images.hero!.output.files[1]!.path = 'other/hero-640.webp';
    await p.write('pixlock.lock', serializeLock(bad));
    const error = await run(p).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isPixlockError(error, 'LOCK_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/not in "old" with the image's other outputs/);
  });

  it('an old folder that is a link out of the project: refused before anything behind it is read or removed', async () => {
    const { p, victim, lock, counting, creates } = await setup();
    // The very bytes, behind the link: following it, a move would take them (and delete them).
    for (const w of [320, 640])
      await copyFile(
        path.join(p.dir, `generated/hero-${w}.webp`),
        path.join(victim, `hero-${w}.webp`),
      );
    await symlink(victim, path.join(p.dir, 'old'));
    await p.remove('generated/hero-320.webp');
    await p.write('pixlock.lock', serializeLock(heroIn(lock, 'old')));
    const before = await Promise.all(
      [320, 640].map((w) => readFile(path.join(victim, `hero-${w}.webp`))),
    );
    // A folder of the outputs the lock names is a link: every command stops (PATH_UNSAFE)
    // before it reads through it, as for outDir itself (check-project-folders.ts).
    const error = await generate({ config: p.config, frozen: true }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isPixlockError(error, 'PATH_UNSAFE')).toBe(true);
    expect((error as Error).message).toMatch(/^old is a symbolic link/);
    for (const [i, w] of [320, 640].entries())
      expect(await readFile(path.join(victim, `hero-${w}.webp`))).toEqual(before[i]);
    expect(counting.calls.create).toBe(creates);
  });

  it('an old output that is itself a link to a file outside: never read through, never removed', async () => {
    const { p, victim, lock } = await setup();
    // A lock naming the bytes of a file outside: read through the link, they would be copied
    // into outDir (and the run would call them hero's output).
    await writeFile(path.join(victim, 'secret.txt'), 'secret');
    const hostile = heroIn(lock, 'old');
    hostile.images.hero!.output.files.find((f) => f.path.endsWith('-640.webp'))!.sha256 = sha256(
      Buffer.from('secret'),
    );
    await mkdir(path.join(p.dir, 'old'));
    await symlink(path.join(victim, 'secret.txt'), path.join(p.dir, 'old/hero-640.webp'));
    await p.remove('generated/hero-640.webp');
    await p.write('pixlock.lock', serializeLock(hostile));
    await generate({ config: p.config, frozen: true });
    expect(await p.read('generated/hero-640.webp')).not.toContain('secret');
    expect(await readFile(path.join(victim, 'secret.txt'), 'utf8')).toBe('secret');
    expect((await check(p.config)).ok).toBe(true);
  });

  it('prune removes an orphan in an old folder only when it holds the bytes the lock records', async () => {
    const { p, lock } = await setup();
    const hostile = structuredClone(lock);
    // Two orphans named in an old folder: one holds its locked bytes, one the user's.
    for (const id of ['zz', 'yy']) {
      const entry = structuredClone(lock.images.card!);
      entry.output.files[0]!.path = `old/${id}.jpg`;
      hostile.images[id] = entry;
    }
    await copyFile(path.join(p.dir, 'generated/card.jpg'), path.join(p.dir, 'old-zz.jpg'));
    await mkdir(path.join(p.dir, 'old'));
    await copyFile(path.join(p.dir, 'old-zz.jpg'), path.join(p.dir, 'old/zz.jpg'));
    await writeFile(path.join(p.dir, 'old/yy.jpg'), 'mine');
    await p.write('pixlock.lock', serializeLock(hostile));
    const result = await prune(p.config);
    expect(result.ids.sort()).toEqual(['yy', 'zz']);
    expect(result.files).toEqual(['old/zz.jpg']);
    expect(result.kept).toEqual(['old/yy.jpg']);
    expect(await p.read('old/yy.jpg')).toBe('mine');
    const after = parseLock(await p.read('pixlock.lock'), 'pixlock.lock');
    expect(Object.keys(after.images).sort()).toEqual(['card', 'hero', 'icons/star']);
  });
});
