import { createHash } from 'node:crypto';
import { cp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isPixlockError } from '../errors.js';
import { parseLock } from '../lock/parse-lock.js';
import { candidateSeed } from '../lock/task-key.js';
import { countingProvider, tempProject, type TempProject } from '../test-utils/temp-project.js';
import { check } from './check.js';
import { generate } from './generate.js';
import { pick } from './pick.js';
import { prune } from './prune.js';

let project: TempProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

const manifest = (variants: number, provider = 'placeholder') => `version: 1
provider: { name: ${provider} }
outDir: out
defaults: { resolution: 1k, output: { format: webp, width: 64 } }
images:
  hero: { prompt: "a hero", seed: 42, variants: ${variants} }
  plain: { prompt: "plain", seed: 5 }
`;

const lockOf = async (p: TempProject) => parseLock(await p.read('pixlock.lock'), 'pixlock.lock');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Every file under the project with its sha256: what "nothing was written" is checked against. */
/** Every file's sha256, but for the git-ignored caches a read may refresh (plan, hashes). */
async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const caches = path.join(dir, '.pixlock', 'cache');
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || e.parentPath === caches) continue;
    const abs = path.join(e.parentPath, e.name);
    out[path.relative(dir, abs)] = sha(await readFile(abs));
  }
  return out;
}

async function generatedWith(variants: number) {
  project = await tempProject({ 'pixlock.yaml': manifest(variants) });
  const first = countingProvider();
  await generate({ config: project.config, provider: first.provider });
  return { p: project, calls: first.calls };
}

describe('variants', () => {
  it('draws N candidates with distinct derived seeds, keeps each original, outputs the first', async () => {
    const { p, calls } = await generatedWith(3);
    expect(calls.create).toBe(4);
    expect(calls.createdIds.sort()).toEqual(['hero', 'hero#2', 'hero#3', 'plain']);
    const lock = await lockOf(p);
    const hero = lock.images.hero!;
    expect(hero.seed).toBe(42);
    expect(hero.candidates!.map((c) => c.seed)).toEqual([1, 2, 3].map((k) => candidateSeed(42, k)));
    expect(new Set(hero.candidates!.map((c) => c.seed)).size).toBe(3);
    expect(hero.chosen).toBeUndefined();
    expect(hero.original).toEqual(hero.candidates![0]!.original);
    expect(new Set(hero.candidates!.map((c) => c.original.sha256)).size).toBe(3);
    const originals = await readdir(path.join(p.dir, '.pixlock/originals'));
    for (const c of hero.candidates!) expect(originals).toContain(`${c.original.sha256}.png`);
    // Outputs for the chosen one only.
    expect(await readdir(path.join(p.dir, 'out'))).toEqual(['hero.webp', 'plain.webp']);
    expect(lock.images.plain!.candidates).toBeUndefined();
    expect((await check(p.config)).ok).toBe(true);
    expect(lock.pending).toEqual({});
  });

  it('counts every candidate in the plan and its cost estimate', async () => {
    project = await tempProject({ 'pixlock.yaml': manifest(4, 'kinovi') });
    const { plan } = await generate({ config: project.config, dryRun: true });
    const hero = plan.entries.find((e) => e.id === 'hero')!;
    expect(hero).toMatchObject({ action: 'create', credits: 60 });
    expect(hero.candidates!.tasks.map((t) => t.key)).toEqual([
      'hero',
      'hero#2',
      'hero#3',
      'hero#4',
    ]);
    expect(plan.credits).toBe(75);
  });

  it('pick remakes the outputs from a kept original, with no provider call', async () => {
    const { p } = await generatedWith(3);
    const before = await p.readBytes('out/hero.webp');
    const result = await pick(p.config, 'hero', 2);
    expect(result).toMatchObject({
      chosen: 2,
      previous: 1,
      candidates: 3,
      files: ['out/hero.webp'],
    });
    const lock = await lockOf(p);
    const hero = lock.images.hero!;
    expect(hero.chosen).toBe(2);
    expect(hero.original).toEqual(hero.candidates![1]!.original);
    expect(hero.taskId).toBe(hero.candidates![1]!.taskId);
    const after = await p.readBytes('out/hero.webp');
    expect(sha(after)).not.toBe(sha(before));
    expect(hero.output.files[0]!.sha256).toBe(sha(after));
    expect((await check(p.config)).ok).toBe(true);
    // A later generate with a provider that must not be called is a no-op.
    const none = countingProvider();
    const again = await generate({ config: p.config, provider: none.provider });
    expect(none.calls.create + none.calls.poll).toBe(0);
    expect(again.run?.counts.unchanged).toBe(2);
    // Back to the first: its outputs are byte for byte what they were.
    await pick(p.config, 'hero', 1);
    expect(sha(await p.readBytes('out/hero.webp'))).toBe(sha(before));
  });

  it('pick refuses an unknown id, a number out of range, a missing or edited original, writing nothing', async () => {
    const { p } = await generatedWith(3);
    const hero = (await lockOf(p)).images.hero!;
    const refused = async (id: string, n: number, message: RegExp) => {
      // Reading fills the local caches (.pixlock/cache/, never committed) first.
      await check(p.config);
      const before = await tree(p.dir);
      let error: unknown;
      try {
        await pick(p.config, id, n);
      } catch (e) {
        error = e;
      }
      expect(isPixlockError(error)).toBe(true);
      expect((error as Error).message).toMatch(message);
      expect(await tree(p.dir)).toEqual(before);
      await expect(stat(path.join(p.dir, '.pixlock-run.lock'))).rejects.toThrow();
    };
    await refused('heroo', 1, /"heroo" is not an image of the manifest \(did you mean "hero"\?\)/);
    await refused('hero', 4, /hero has 3 candidates: pick a number from 1 to 3, not 4/);
    await refused('hero', 0, /from 1 to 3, not 0/);
    await refused('plain', 2, /plain has 1 candidate/);
    const second = `.pixlock/originals/${hero.candidates![1]!.original.sha256}.png`;
    const bytes = await p.readBytes(second);
    await writeFile(path.join(p.dir, second), Buffer.concat([bytes, Buffer.from('x')]));
    await refused('hero', 2, /is damaged \(its bytes do not match its hash\)/);
    await p.remove(second);
    await refused('hero', 2, /is missing: restore it from git/);
    // The other candidates can still be picked.
    await pick(p.config, 'hero', 3);
    expect((await lockOf(p)).images.hero!.chosen).toBe(3);
  });

  it('4 → 2 keeps the chosen candidate whatever its number; 2 → 4 draws only the missing two', async () => {
    const { p } = await generatedWith(4);
    const four = (await lockOf(p)).images.hero!;
    await pick(p.config, 'hero', 3);
    const chosenOutput = await p.readBytes('out/hero.webp');

    await p.write('pixlock.yaml', manifest(2));
    const down = countingProvider();
    const r = await generate({ config: p.config, provider: down.provider });
    expect(down.calls.create + down.calls.poll).toBe(0);
    expect(r.plan.entries.find((e) => e.id === 'hero')).toMatchObject({
      action: 'reprocess',
      credits: 0,
    });
    const two = (await lockOf(p)).images.hero!;
    expect(two.candidates!.map((c) => c.taskId)).toEqual([
      four.candidates![0]!.taskId,
      four.candidates![2]!.taskId,
    ]);
    expect(two.chosen).toBe(2);
    expect(two.original).toEqual(four.candidates![2]!.original);
    expect(sha(await p.readBytes('out/hero.webp'))).toBe(sha(chosenOutput));
    expect((await check(p.config)).ok).toBe(true);

    await p.write('pixlock.yaml', manifest(4));
    const up = countingProvider();
    await generate({ config: p.config, provider: up.provider });
    expect(up.calls.createdIds.sort()).toEqual(['hero#2', 'hero#4']);
    const again = (await lockOf(p)).images.hero!;
    expect(again.candidates!.map((c) => c.seed)).toEqual(
      [1, 2, 3, 4].map((k) => candidateSeed(42, k)),
    );
    // Still the same chosen candidate (now numbered 3), outputs untouched.
    expect(again.original).toEqual(four.candidates![2]!.original);
    expect(again.chosen).toBe(3);
    expect(sha(await p.readBytes('out/hero.webp'))).toBe(sha(chosenOutput));

    // Down to 1 with the third chosen: that one stays, alone.
    await p.write('pixlock.yaml', manifest(1));
    await generate({ config: p.config, provider: countingProvider().provider });
    const one = (await lockOf(p)).images.hero!;
    expect(one.candidates).toHaveLength(1);
    expect(one.original).toEqual(four.candidates![2]!.original);
  });

  it('prune keeps every candidate original and removes the dropped ones', async () => {
    const { p } = await generatedWith(3);
    const hero = (await lockOf(p)).images.hero!;
    expect((await prune(p.config)).originals).toEqual([]);
    await p.write('pixlock.yaml', manifest(2));
    await generate({ config: p.config, provider: countingProvider().provider });
    expect((await prune(p.config)).originals).toEqual([
      `.pixlock/originals/${hero.candidates![2]!.original.sha256}.png`,
    ]);
  });

  it('a changed prompt draws every candidate anew and chooses the first again', async () => {
    const { p } = await generatedWith(2);
    await pick(p.config, 'hero', 2);
    await p.write('pixlock.yaml', manifest(2).replace('a hero', 'another hero'));
    const again = countingProvider();
    await generate({ config: p.config, provider: again.provider });
    expect(again.calls.createdIds.sort()).toEqual(['hero', 'hero#2']);
    expect((await lockOf(p)).images.hero!.chosen).toBeUndefined();
  });
});

describe('a version-1 lock (as committed in examples/basic)', () => {
  it('checks as it is, and is written as version 2 on the next write with nothing redone', async () => {
    const example = fileURLToPath(new URL('../../../../examples/basic', import.meta.url));
    project = await tempProject({});
    const p = project;
    for (const f of ['pixlock.yaml', 'pixlock.lock', 'generated', '.pixlock/originals'])
      await cp(path.join(example, f), path.join(p.dir, f), { recursive: true });
    // As committed (version 1). Should the example be rewritten by a later pixlock, its entries
    // without variants are still exactly what version 1 holds: only the version line differs.
    const v1 = (await p.read('pixlock.lock')).replace(
      /^lockfileVersion: 2$/m,
      'lockfileVersion: 1',
    );
    await p.write('pixlock.lock', v1);
    expect(v1).toContain('lockfileVersion: 1\n');
    expect((await check(p.config)).ok).toBe(true);
    const outputsBefore = await tree(path.join(p.dir, 'generated'));

    // A new image: the next write. Only it is generated; every other entry is carried as is.
    await p.write(
      'pixlock.yaml',
      (await p.read('pixlock.yaml')).replace(
        'images:\n',
        'images:\n  added:\n    prompt: new\n    seed: 3\n',
      ),
    );
    const provider = countingProvider();
    const result = await generate({ config: p.config, provider: provider.provider });
    expect(provider.calls.createdIds).toEqual(['added']);
    expect(result.run?.counts).toMatchObject({
      created: 1,
      reprocessed: 0,
      restored: 0,
      regenerated: 0,
    });
    const v2 = await p.read('pixlock.lock');
    expect(v2).toContain('lockfileVersion: 2\n');
    const before = parseLock(v1, 'v1');
    const after = parseLock(v2, 'v2');
    for (const id of Object.keys(before.images))
      expect(after.images[id]).toEqual(before.images[id]);
    const outputsAfter = await tree(path.join(p.dir, 'generated'));
    for (const [f, hash] of Object.entries(outputsBefore)) expect(outputsAfter[f]).toBe(hash);
    expect((await check(p.config)).ok).toBe(true);
  });
});
