import {
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isPixlockError } from '../errors.js';
import { parseLock } from '../lock/parse-lock.js';
import { serializeLock } from '../lock/serialize-lock.js';
import {
  countingProvider,
  SMALL_MANIFEST,
  tempProject,
  type TempProject,
} from '../test-utils/temp-project.js';
import { check } from './check.js';
import { generate } from './generate.js';
import { prune } from './prune.js';

let project: TempProject | undefined;
let outside: string | undefined;
afterEach(async () => {
  await project?.cleanup();
  if (outside) await rm(outside, { recursive: true, force: true });
  project = outside = undefined;
});

/** A generated project and a folder beside it holding a file an attacker wants gone. */
async function setup() {
  project = await tempProject({ 'pixlock.yaml': SMALL_MANIFEST });
  await generate({ config: project.config, provider: countingProvider().provider });
  outside = await mkdtemp(path.join(tmpdir(), 'pixlock-victim-'));
  await writeFile(path.join(outside, 'data.txt'), 'precious');
  const lock = parseLock(await project.read('pixlock.lock'), 'pixlock.lock');
  return { p: project, victim: outside, lock };
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('a hostile lock cannot reach outside the project', () => {
  it('prune refuses a lock naming ../victim/data.txt, at its line, and deletes nothing', async () => {
    const { p, victim, lock } = await setup();
    const rel = path.relative(p.dir, path.join(victim, 'data.txt')).split(path.sep).join('/');
    lock.images.orphan = structuredClone(lock.images.hero!);
    lock.images.orphan.output.files[0]!.path = rel;
    const text = serializeLock(lock);
    await p.write('pixlock.lock', text);
    const error = await errorOf(prune(p.config));
    expect(isPixlockError(error, 'LOCK_INVALID')).toBe(true);
    const line = text.split('\n').findIndex((l) => l.includes(rel)) + 1;
    expect((error as Error).message).toContain(`pixlock.lock:${line}:`);
    expect(await readFile(path.join(victim, 'data.txt'), 'utf8')).toBe('precious');
    expect(await p.read('pixlock.lock')).toBe(text);
  });

  it('refuses an output path that is not a name pixlock gives the image, even in the project', async () => {
    const { p, lock } = await setup();
    await p.write('keep.txt', 'mine');
    lock.images.orphan = structuredClone(lock.images.hero!);
    lock.images.orphan.output.files[0]!.path = 'keep.txt';
    await p.write('pixlock.lock', serializeLock(lock));
    const error = await errorOf(prune(p.config));
    expect((error as Error).message).toMatch(/"keep\.txt" is not a file pixlock makes/);
    expect(await p.read('keep.txt')).toBe('mine');
  });

  it('with outDir ".", prune refuses a lock naming the manifest, .git/HEAD or a source file', async () => {
    project = await tempProject({
      'pixlock.yaml': SMALL_MANIFEST.replace(/^outDir: .*$/m, "outDir: '.'"),
    });
    const p = project;
    await generate({ config: p.config, provider: countingProvider().provider });
    await p.write('.git/HEAD', 'ref: refs/heads/main\n');
    await p.write('src/index.ts', 'code');
    const manifest = await p.read('pixlock.yaml');
    const lock = parseLock(await p.read('pixlock.lock'), 'pixlock.lock');
    const victims = ['pixlock.yaml', '.git/HEAD', 'src/index.ts', 'hero-copy.webp'];
    victims.forEach((victim, i) => {
      const entry = structuredClone(lock.images.hero!);
      entry.output.files[0]!.path = victim;
      lock.images[`orphan${i}`] = entry;
    });
    const text = serializeLock(lock);
    await p.write('pixlock.lock', text);
    const error = await errorOf(prune(p.config));
    expect(isPixlockError(error, 'LOCK_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/not a file pixlock makes for image "orphan0"/);
    expect(await p.read('pixlock.yaml')).toBe(manifest);
    expect(await p.read('.git/HEAD')).toBe('ref: refs/heads/main\n');
    expect(await p.read('src/index.ts')).toBe('code');
    expect(await p.read('pixlock.lock')).toBe(text);
  });

  it('a committed .pixlock/journal.jsonl is held to the same rules as the lock', async () => {
    project = await tempProject({
      'pixlock.yaml': SMALL_MANIFEST.replace(/^outDir: .*$/m, "outDir: '.'"),
    });
    const p = project;
    await generate({ config: p.config, provider: countingProvider().provider });
    const manifest = await p.read('pixlock.yaml');
    const lock = parseLock(await p.read('pixlock.lock'), 'pixlock.lock');
    const entry = structuredClone(lock.images.hero!);
    entry.output.files[0]!.path = 'pixlock.yaml';
    await p.write('.pixlock/journal.jsonl', `${JSON.stringify({ image: 'zz', entry })}\n`);
    const error = await errorOf(prune(p.config));
    expect(isPixlockError(error, 'LOCK_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/journal\.jsonl:1: .*"pixlock\.yaml" is not a file/);
    expect(await p.read('pixlock.yaml')).toBe(manifest);
  });

  it('refuses ids with ".." in a lock', async () => {
    const { p, lock } = await setup();
    lock.images['../../escape'] = lock.images.hero!;
    await p.write('pixlock.lock', serializeLock(lock));
    const error = await errorOf(
      generate({ config: p.config, provider: countingProvider().provider }),
    );
    expect(isPixlockError(error, 'LOCK_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/would escape outDir/);
  });

  it('never writes through an output that is a symlink', async () => {
    const { p, victim } = await setup();
    await p.remove('generated/hero.webp');
    await symlink(path.join(victim, 'data.txt'), path.join(p.dir, 'generated/hero.webp'));
    const result = await generate({ config: p.config, provider: countingProvider().provider });
    const hero = result.run!.results.find((r) => r.id === 'hero')!;
    expect(hero.outcome).toBe('failed');
    expect(hero.error?.code).toBe('PATH_UNSAFE');
    expect(hero.error?.message).toMatch(/generated\/hero\.webp: it is a symlink/);
    expect(await readFile(path.join(victim, 'data.txt'), 'utf8')).toBe('precious');
  });

  it('check never reads an output through a symlink (it may lead outside the project)', async () => {
    const { p, victim } = await setup();
    // The same bytes, outside: following the link, check would call the output unmodified.
    await rename(path.join(p.dir, 'generated/hero.webp'), path.join(victim, 'hero.webp'));
    await symlink(path.join(victim, 'hero.webp'), path.join(p.dir, 'generated/hero.webp'));
    await rm(path.join(p.dir, '.pixlock/cache'), { recursive: true, force: true });
    const result = await check(p.config);
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result.problems)).toContain('hero');
  });

  it('never writes through an output folder that is a symlink: refused before any work', async () => {
    const { p, victim } = await setup();
    await rm(path.join(p.dir, 'generated/icons'), { recursive: true });
    await symlink(victim, path.join(p.dir, 'generated/icons'));
    const counting = countingProvider();
    const error = await errorOf(generate({ config: p.config, provider: counting.provider }));
    expect(isPixlockError(error, 'PATH_UNSAFE')).toBe(true);
    expect((error as Error).message).toMatch(/^generated\/icons is a symbolic link/);
    expect(counting.calls.create).toBe(0);
    expect(await readdir(victim)).toEqual(['data.txt']);
  });

  it('never clears or fills a symlinked .pixlock/ or originals folder', async () => {
    const { p, victim } = await setup();
    await mkdir(path.join(victim, 'tmp'));
    await writeFile(path.join(victim, 'tmp', 'x'), 'precious');
    await rm(path.join(p.dir, '.pixlock/originals'), { recursive: true });
    await symlink(victim, path.join(p.dir, '.pixlock/originals'));
    await p.remove('generated/card.jpg');
    // Remaking card's output needs its original: a symlinked folder is refused up front.
    const linked = await errorOf(
      generate({ config: p.config, provider: countingProvider().provider }),
    );
    expect(isPixlockError(linked, 'PATH_UNSAFE')).toBe(true);
    expect(await readdir(victim)).toEqual(['data.txt', 'tmp']);

    // A symlinked .pixlock/: the run refuses before clearing .pixlock/tmp through it.
    await rm(path.join(p.dir, '.pixlock'), { recursive: true });
    await symlink(victim, path.join(p.dir, '.pixlock'));
    const error = await errorOf(
      generate({ config: p.config, provider: countingProvider().provider }),
    );
    expect(isPixlockError(error, 'PATH_UNSAFE')).toBe(true);
    expect(await readFile(path.join(victim, 'tmp', 'x'), 'utf8')).toBe('precious');
  });

  it('prune deletes orphans through the store and removes the folders it empties', async () => {
    const { p } = await setup();
    await p.write(
      'pixlock.yaml',
      SMALL_MANIFEST.replace(/\n {2}icons\/star:[^\n]*(\n {4}[^\n]*)*/, ''),
    );
    const result = await prune(p.config);
    expect(result.ids).toEqual(['icons/star']);
    expect(result.folders).toEqual(['generated/icons']);
    expect(await readdir(path.join(p.dir, 'generated'))).not.toContain('icons');
    expect(result.originals).toHaveLength(1);
    expect(await readdir(path.join(p.dir, '.pixlock/originals'))).toHaveLength(2);
  });
});
