import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isPixlockError, type PixlockError } from '../errors.js';
import { parseLock } from '../lock/parse-lock.js';
import { countingProvider, tempProject, type TempProject } from '../test-utils/temp-project.js';
import { check } from './check.js';
import { generate } from './generate.js';
import { loadProject } from './load-project.js';
import { planProject } from './plan-project.js';

let project: TempProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

const MANIFEST = `version: 1
provider: { name: placeholder }
outDir: generated
defaults: { resolution: 1k }
images:
  hero:
    prompt: A city at sunset
    seed: 1
    aspectRatio: '16:9'
    output: { formats: [webp, avif], widths: [64, 128] }
  team/ada:
    prompt: Ada
    seed: 2
    output: { format: png, width: 32 }
`;

/** A project generated under `outDir: generated`, then switched to `src/generated`. */
async function movedOutDir(manifest = MANIFEST) {
  project = await tempProject({ '.git/HEAD': 'ref: refs/heads/main\n', 'pixlock.yaml': manifest });
  const counting = countingProvider();
  await generate({ config: project.config, provider: counting.provider });
  const before = parseLock(await project.read('pixlock.lock'), 'pixlock.lock');
  await project.write(
    'pixlock.yaml',
    manifest.replace('outDir: generated', 'outDir: src/generated'),
  );
  return { p: project, counting, before };
}

const lockOf = async (p: TempProject) => parseLock(await p.read('pixlock.lock'), 'pixlock.lock');
const planOf = async (p: TempProject) => (await planProject(await loadProject(p.config))).plan;
const paths = (lock: Awaited<ReturnType<typeof lockOf>>) =>
  Object.values(lock.images).flatMap((e) => e.output.files.map((f) => f.path));

describe('changing outDir after a first generate', () => {
  it('is a free move in the plan, pending in check, done by --frozen with the lock following', async () => {
    const { p, counting, before } = await movedOutDir();
    const creates = counting.calls.create;
    // Not a damaged lock: validate (loadProject) reads it.
    await loadProject(p.config);
    const plan = await planOf(p);
    expect(plan.entries.map((e) => [e.id, e.action, e.credits, e.reason])).toEqual([
      ['hero', 'move', 0, 'outDir changed: generated → src/generated'],
      ['team/ada', 'move', 0, 'outDir changed: generated → src/generated'],
    ]);
    expect(plan.entries[1]!.moves).toEqual([
      { from: 'generated/team/ada.png', to: 'src/generated/team/ada.png' },
    ]);
    const pending = await check(p.config);
    expect(pending.ok).toBe(false);
    expect(pending.problems.map((e) => e.action)).toEqual(['move', 'move']);

    const result = await generate({ config: p.config, frozen: true });
    expect(result.run!.results.map((r) => r.outcome)).toEqual(['moved', 'moved']);
    expect(counting.calls.create).toBe(creates);
    const after = await lockOf(p);
    expect(paths(after)).toEqual(paths(before).map((f) => `src/${f}`));
    for (const id of ['hero', 'team/ada']) {
      const [was, now] = [before.images[id]!, after.images[id]!];
      // Same bytes, same output hash, same original: only the paths changed.
      expect(now.output.files.map((f) => f.sha256)).toEqual(was.output.files.map((f) => f.sha256));
      expect({ ...now, output: { ...now.output, files: [] } }).toEqual({
        ...was,
        output: { ...was.output, files: [] },
      });
    }
    for (const f of paths(after)) expect(existsSync(path.join(p.dir, f))).toBe(true);
    // The old outDir is gone: every file in it was pixlock's, moved.
    expect(existsSync(path.join(p.dir, 'generated'))).toBe(false);
    expect((await check(p.config)).ok).toBe(true);
  });

  it('outputs already moved by hand (git mv) are not written again: the lock follows', async () => {
    const { p } = await movedOutDir();
    await mkdir(path.join(p.dir, 'src'));
    await rename(path.join(p.dir, 'generated'), path.join(p.dir, 'src/generated'));
    const inode = (await stat(path.join(p.dir, 'src/generated/hero-64.webp'))).ino;
    expect((await planOf(p)).entries.map((e) => [e.action, e.reason])).toEqual([
      ['move', 'outDir changed: generated → src/generated'],
      ['move', 'outDir changed: generated → src/generated'],
    ]);
    await generate({ config: p.config, frozen: true });
    expect((await stat(path.join(p.dir, 'src/generated/hero-64.webp'))).ino).toBe(inode);
    expect((await check(p.config)).ok).toBe(true);
  });

  it('a missing old output is made again from the kept original; an edited one is left alone', async () => {
    const { p, counting } = await movedOutDir();
    const creates = counting.calls.create;
    await p.remove('generated/hero-64.avif');
    await p.write('generated/hero-128.webp', 'my edit');
    const hero = (await planOf(p)).entries[0]!;
    expect(hero.action).toBe('move');
    expect(hero.reason).toBe(
      'outDir changed: generated → src/generated; generated/hero-128.webp, generated/hero-64.avif missing, made again from the kept original',
    );
    await generate({ config: p.config, frozen: true });
    expect(counting.calls.create).toBe(creates);
    expect((await check(p.config)).ok).toBe(true);
    // Not the bytes pixlock wrote: not pixlock's to delete.
    expect(await p.read('generated/hero-128.webp')).toBe('my edit');
    expect(await readdir(path.join(p.dir, 'generated'))).toEqual(['hero-128.webp']);
  });

  it('with the original gone too, the plan says the image must be drawn again (and --frozen will not)', async () => {
    const { p, before } = await movedOutDir();
    await p.remove('generated/team/ada.png');
    const original = before.images['team/ada']!.original.sha256;
    await p.remove(`.pixlock/originals/${original}.png`);
    const ada = (await planOf(p)).entries[1]!;
    expect([ada.action, ada.reason]).toEqual([
      'regenerate',
      'outDir changed: generated → src/generated; generated/team/ada.png missing, and the original is missing from .pixlock/originals',
    ]);
    const result = await generate({ config: p.config, frozen: true });
    expect(result.run!.results.map((r) => [r.id, r.outcome])).toEqual([
      ['hero', 'moved'],
      ['team/ada', 'skipped'],
    ]);
  });

  it('outDir and output options changed at once: reprocessed in the new outDir, old files removed', async () => {
    const { p, counting } = await movedOutDir();
    const creates = counting.calls.create;
    await p.write(
      'pixlock.yaml',
      MANIFEST.replace('outDir: generated', 'outDir: src/generated').replace(
        'width: 32',
        'width: 48',
      ),
    );
    const plan = await planOf(p);
    expect(plan.entries.map((e) => e.action)).toEqual(['move', 'reprocess']);
    await generate({ config: p.config, frozen: true });
    expect(counting.calls.create).toBe(creates);
    expect(existsSync(path.join(p.dir, 'generated'))).toBe(false);
    expect((await lockOf(p)).images['team/ada']!.output.files[0]!.path).toBe(
      'src/generated/team/ada.png',
    );
    expect((await check(p.config)).ok).toBe(true);
  });

  it('moving back and nesting: generated → generated/img → generated, nothing paid', async () => {
    project = await tempProject({ 'pixlock.yaml': MANIFEST });
    const p = project;
    const counting = countingProvider();
    await generate({ config: p.config, provider: counting.provider });
    const creates = counting.calls.create;
    const first = paths(await lockOf(p));
    for (const outDir of ['generated/img', 'generated']) {
      await p.write('pixlock.yaml', MANIFEST.replace('outDir: generated', `outDir: ${outDir}`));
      const result = await generate({ config: p.config, frozen: true });
      expect(result.run!.counts.moved, outDir).toBe(2);
      expect((await check(p.config)).ok, outDir).toBe(true);
    }
    expect(paths(await lockOf(p))).toEqual(first);
    expect(counting.calls.create).toBe(creates);
    expect((await readdir(path.join(p.dir, 'generated'))).sort()).toEqual(
      ['hero-128.avif', 'hero-128.webp', 'hero-64.avif', 'hero-64.webp', 'team'].sort(),
    );
  });
});

describe('moving the manifest', () => {
  /** A repository with the project in its root, generated. */
  async function generatedAtRoot() {
    project = await tempProject({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'pixlock.yaml': MANIFEST,
    });
    const counting = countingProvider();
    await generate({ config: project.config, provider: counting.provider });
    return { p: project, counting, creates: counting.calls.create };
  }

  const moveInto = async (p: TempProject, names: string[]) => {
    await mkdir(path.join(p.dir, 'site'));
    for (const name of names) await rename(path.join(p.dir, name), path.join(p.dir, 'site', name));
    return path.join(p.dir, 'site', 'pixlock.yaml');
  };

  it('with its lock, .pixlock/ and outputs (git mv of the whole project): nothing to do', async () => {
    const { p } = await generatedAtRoot();
    const config = await moveInto(p, ['pixlock.yaml', 'pixlock.lock', '.pixlock', 'generated']);
    expect((await check(config)).ok).toBe(true);
  });

  it('with its lock and .pixlock/ but not the outputs: rebuilt from kept originals, free; the old ones untouched', async () => {
    const { p, counting, creates } = await generatedAtRoot();
    const config = await moveInto(p, ['pixlock.yaml', 'pixlock.lock', '.pixlock']);
    // Output paths are relative to the manifest's folder: site/generated/... is missing.
    const { plan } = await planProject(await loadProject(config));
    expect(plan.entries.map((e) => e.action)).toEqual(['restore', 'restore']);
    expect(plan.credits).toBe(0);
    await generate({ config, frozen: true });
    expect(counting.calls.create).toBe(creates);
    expect((await check(config)).ok).toBe(true);
    // Outside the manifest's folder: pixlock never removes them (delete them yourself).
    expect((await readdir(path.join(p.dir, 'generated'))).length).toBe(5);
  });

  it('an outDir above the manifest is refused at its line before anything is paid', async () => {
    const { p } = await generatedAtRoot();
    const config = await moveInto(p, ['pixlock.lock', '.pixlock']);
    await cp(p.config, config);
    await rm(p.config);
    await p.write(
      'site/pixlock.yaml',
      MANIFEST.replace('outDir: generated', 'outDir: ../generated'),
    );
    let error: unknown;
    await loadProject(config).catch((e: unknown) => (error = e));
    expect(isPixlockError(error, 'MANIFEST_INVALID')).toBe(true);
    const [d] = (error as PixlockError).extra.diagnostics!;
    expect([d!.line, d!.path]).toEqual([3, ['outDir']]);
    expect(d!.message).toMatch(/outDir "\.\.\/generated" is not below the folder of pixlock\.yaml/);
  });
});
