import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryOriginals } from '../engine/test-utils/memory-originals.js';
import { parseLock } from '../lock/parse-lock.js';
import {
  countingProvider,
  SMALL_MANIFEST,
  tempProject,
  type TempProject,
} from '../test-utils/temp-project.js';
import { generate } from './generate.js';
import { loadProject } from './load-project.js';
import { planProject } from './plan-project.js';
import { pick } from './pick.js';

let project: TempProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

/** A project generated with its originals in an in-memory store rather than on disk. */
async function generatedInMemory() {
  project = await tempProject({ 'pixlock.yaml': SMALL_MANIFEST });
  const originals = memoryOriginals();
  const first = countingProvider();
  await generate({ config: project.config, provider: first.provider, files: { originals } });
  return { p: project, originals };
}

async function planned(config: string, originals: ReturnType<typeof memoryOriginals>) {
  const { plan } = await planProject(await loadProject(config, { originals }));
  return Object.fromEntries(plan.entries.map((e) => [e.id, [e.action, e.reason]]));
}

describe('a project whose originals are kept in another store (in memory here)', () => {
  it('keeps every original there, none in .pixlock/originals', async () => {
    const { p, originals } = await generatedInMemory();
    const lock = parseLock(await p.read('pixlock.lock'), 'pixlock.lock');
    expect([...originals.contents.keys()].sort()).toEqual(
      Object.values(lock.images)
        .map((e) => e.original.sha256)
        .sort(),
    );
    await expect(readdir(path.join(p.dir, '.pixlock', 'originals'))).rejects.toThrow(/ENOENT/);
  });

  it('is asked nothing when every output holds, and once for what must be remade', async () => {
    const { p, originals } = await generatedInMemory();
    originals.asked.calls = 0;
    const quiet = await planned(p.config, originals);
    expect(Object.values(quiet).map(([action]) => action)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
    expect(originals.asked.calls).toBe(0);
    await p.remove('generated/hero-320.webp');
    await p.remove('generated/card.jpg');
    expect((await planned(p.config, originals)).hero![0]).toBe('restore');
    // Two images need their originals: one question for both.
    expect(originals.asked).toEqual({ calls: 1, keys: 2 });
  });

  it('restores from it with no provider call, and names it when an original is gone', async () => {
    const { p, originals } = await generatedInMemory();
    await p.remove('generated/hero-320.webp');
    const second = countingProvider();
    const run = await generate({
      config: p.config,
      provider: second.provider,
      files: { originals },
    });
    expect(run.run?.counts.restored).toBe(1);
    expect(second.calls.create).toBe(0);
    const lock = parseLock(await p.read('pixlock.lock'), 'pixlock.lock');
    originals.contents.delete(lock.images.hero!.original.sha256);
    await p.remove('generated/hero-320.webp');
    expect((await planned(p.config, originals)).hero).toEqual([
      'regenerate',
      'generated/hero-320.webp missing, and the original is missing from memory',
    ]);
    // Damaged in the store: a run refuses to make outputs from it, naming where it is.
    const card = lock.images.card!.original;
    originals.contents.set(card.sha256, Buffer.from('not the original'));
    await p.remove('generated/card.jpg');
    const damaged = await generate({ config: p.config, files: { originals }, frozen: true });
    expect(damaged.run?.results.find((r) => r.id === 'card')?.error?.message).toBe(
      `card: memory/${card.sha256}.png is damaged (its bytes do not match its hash): put memory/${card.sha256}.png back or generate the image again (pixlock generate --force card, which spends credits)`,
    );
  });

  it('gives pick its originals, and names the store that lacks one', async () => {
    const { p, originals } = await generatedInMemory();
    const before = await p.readBytes('generated/hero-320.webp');
    await p.remove('generated/hero-320.webp');
    expect((await pick(p.config, 'hero', 1, { originals })).files).toContain(
      'generated/hero-320.webp',
    );
    expect(await p.readBytes('generated/hero-320.webp')).toEqual(before);
    // The local folder has none of them: said as that store says it.
    const error = await pick(p.config, 'hero', 1).catch((e: unknown) => e);
    expect(String(error)).toMatch(
      /ORIGINAL_MISSING|\.pixlock\/originals\/[0-9a-f]{64}\.png is missing: restore it from git/,
    );
  });
});
