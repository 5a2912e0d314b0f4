import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { isPixlockError } from '../errors.js';
import { parseLock } from '../lock/parse-lock.js';
import {
  countingProvider,
  SMALL_MANIFEST,
  tempProject,
  type TempProject,
} from '../test-utils/temp-project.js';
import { deferred } from '../test-utils/deferred.js';
import { check } from './check.js';
import { generate } from './generate.js';
import { prune } from './prune.js';

let project: TempProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

async function generated() {
  project = await tempProject({ 'pixlock.yaml': SMALL_MANIFEST });
  const first = countingProvider();
  const result = await generate({ config: project.config, provider: first.provider });
  return { p: project, result, calls: first.calls };
}

describe('generate', () => {
  it('generates every image with exact pixel sizes and records them in the lock', async () => {
    const { p, result, calls } = await generated();
    expect(result.run?.counts.created).toBe(3);
    expect(calls.create).toBe(3);
    const lock = parseLock(await p.read('pixlock.lock'), 'pixlock.lock');
    expect(Object.keys(lock.images)).toEqual(['card', 'hero', 'icons/star']);
    expect(lock.images.hero!.original).toMatchObject({
      width: 1024,
      height: 576,
      mediaType: 'image/png',
    });
    expect(lock.images.hero!.output.files.map((f) => [f.path, f.width, f.height])).toEqual([
      ['generated/hero.webp', 1024, 576],
      ['generated/hero-320.webp', 320, 180],
      ['generated/hero-640.webp', 640, 360],
    ]);
    const meta = await sharp(await p.readBytes('generated/icons/star.png')).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 128, 128]);
    // The seed left out of the manifest is chosen once and pinned.
    expect(lock.images.card!.seed).toEqual(expect.any(Number));
    expect(await readdir(path.join(p.dir, '.pixlock/originals'))).toHaveLength(3);
  });

  it('does no provider work on a second run and leaves the lock byte-identical', async () => {
    const { p } = await generated();
    const before = await p.read('pixlock.lock');
    const second = countingProvider();
    const result = await generate({ config: p.config, provider: second.provider });
    expect(second.calls).toMatchObject({ create: 0, poll: 0, download: 0 });
    expect(result.run?.counts.unchanged).toBe(3);
    expect(await p.read('pixlock.lock')).toBe(before);
  });

  it('reprocesses an output-only edit from the kept original with zero provider calls', async () => {
    const { p } = await generated();
    await p.write('pixlock.yaml', SMALL_MANIFEST.replace('widths: [320, 640]', 'widths: [200]'));
    const again = countingProvider();
    const result = await generate({ config: p.config, provider: again.provider });
    expect(again.calls.create).toBe(0);
    expect(result.run?.results.find((r) => r.id === 'hero')).toMatchObject({
      outcome: 'reprocessed',
    });
    const lock = parseLock(await p.read('pixlock.lock'), 'pixlock.lock');
    expect(lock.images.hero!.output.files.map((f) => f.path)).toEqual([
      'generated/hero.webp',
      'generated/hero-200.webp',
    ]);
    // Outputs the new options no longer make are removed.
    expect(await readdir(path.join(p.dir, 'generated'))).not.toContain('hero-640.webp');
  });

  it('never makes outputs from a damaged original, and says how to get it back', async () => {
    const { p } = await generated();
    const lock = parseLock(await p.read('pixlock.lock'), 'pixlock.lock');
    const { sha256, mediaType } = lock.images.hero!.original;
    const original = `.pixlock/originals/${sha256}.${mediaType.split('/')[1]}`;
    const intact = await readFile(path.join(p.dir, original));
    await writeFile(path.join(p.dir, original), intact.subarray(0, intact.length - 10));
    const before = await p.read('generated/hero.webp');
    await p.write('pixlock.yaml', SMALL_MANIFEST.replace('widths: [320, 640]', 'widths: [200]'));
    const result = await generate({ config: p.config, provider: countingProvider().provider });
    const hero = result.run?.results.find((r) => r.id === 'hero');
    expect(hero).toMatchObject({ outcome: 'failed', error: { code: 'ORIGINAL_MISSING' } });
    expect(hero?.error?.message).toBe(
      `hero: ${original} is damaged (its bytes do not match its hash): restore it from git (git checkout -- ${original}) or generate the image again (pixlock generate --force hero, which spends credits)`,
    );
    // Nothing already generated is lost: the old outputs and their lock entry stay.
    expect(await p.read('generated/hero.webp')).toBe(before);
    const after = parseLock(await p.read('pixlock.lock'), 'pixlock.lock');
    expect(after.images.hero).toEqual(lock.images.hero);
  });

  it('finds a deleted or edited output with check, and --frozen restores it without the provider', async () => {
    const { p } = await generated();
    await p.remove('generated/hero-320.webp');
    await p.write('generated/card.jpg', 'not the image any more');
    const drift = await check(p.config);
    expect(drift.ok).toBe(false);
    expect(drift.problems.map((e) => [e.id, e.action, e.reason])).toEqual([
      ['card', 'restore', 'generated/card.jpg modified'],
      ['hero', 'restore', 'generated/hero-320.webp missing'],
    ]);
    const frozen = countingProvider();
    const result = await generate({ config: p.config, provider: frozen.provider, frozen: true });
    expect(frozen.calls.create).toBe(0);
    expect(result.run?.counts.restored).toBe(2);
    expect((await check(p.config)).ok).toBe(true);
  });

  it('with --frozen, reports work that needs the provider as skipped and calls nothing', async () => {
    const { p } = await generated();
    await p.write('pixlock.yaml', SMALL_MANIFEST + '  extra:\n    prompt: new one\n');
    const frozen = countingProvider();
    const result = await generate({ config: p.config, provider: frozen.provider, frozen: true });
    expect(frozen.calls.create).toBe(0);
    expect(result.run?.results.find((r) => r.id === 'extra')).toMatchObject({
      outcome: 'skipped',
      skipReason: 'frozen',
    });
  });

  it("keeps going when one image fails, and doesn't lock the failed one", async () => {
    project = await tempProject({ 'pixlock.yaml': SMALL_MANIFEST });
    const { provider } = countingProvider({ failIds: ['hero'] });
    const result = await generate({ config: project.config, provider });
    expect(result.run?.counts).toMatchObject({ created: 2, failed: 1 });
    const failure = result.run?.results.find((r) => r.id === 'hero');
    expect(failure?.error).toMatchObject({
      code: 'PROVIDER_TASK_FAILED',
      message: expect.stringMatching(/^hero: task .* failed: the model refused/),
    });
    const lock = parseLock(await project.read('pixlock.lock'), 'pixlock.lock');
    expect(Object.keys(lock.images)).toEqual(['card', 'icons/star']);
    expect(lock.pending).toEqual({});
  });

  it('never has more provider tasks in flight than the concurrency', async () => {
    const images = Array.from(
      { length: 8 },
      (_, i) => `  img-${i}:\n    prompt: p${i}\n    seed: ${i}\n`,
    ).join('');
    project = await tempProject({
      'pixlock.yaml': `version: 1\nprovider: { name: placeholder }\nconcurrency: 3\ndefaults: { resolution: 1k, aspectRatio: "1:1", output: { format: png, width: 32 } }\nimages:\n${images}`,
    });
    const { provider, calls } = countingProvider({ delayMs: 30 });
    await generate({ config: project.config, provider });
    expect(calls.create).toBe(8);
    expect(calls.maxInFlight).toBe(3);
  });

  it('stops starting work when aborted and leaves a valid lock with what it paid for', async () => {
    project = await tempProject({ 'pixlock.yaml': SMALL_MANIFEST });
    const controller = new AbortController();
    const { provider } = countingProvider({ delayMs: 20 });
    const result = await generate({
      config: project.config,
      provider,
      concurrency: 1,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'task-created') controller.abort(new Error('stop'));
      },
    });
    expect(result.run?.interrupted).toBe(true);
    // The task created as the run stopped is not polled: it is in the lock, to resume.
    expect(result.run?.counts).toMatchObject({ created: 0, interrupted: 3 });
    const lock = parseLock(await project.read('pixlock.lock'), 'pixlock.lock');
    expect(Object.keys(lock.images)).toHaveLength(0);
    const [paid] = Object.entries(lock.pending);
    expect(paid?.[1].taskId).toMatch(/^placeholder-/);
    // The next run does the rest, resuming what was paid for rather than creating it again.
    const again = countingProvider();
    const next = await generate({ config: project.config, provider: again.provider });
    expect(next.run?.counts).toMatchObject({ created: 2, resumed: 1 });
    expect(again.calls.createdIds).not.toContain(paid![0]);
  });

  it('is deterministic: the same manifest gives byte-identical outputs', async () => {
    const a = await tempProject({
      'pixlock.yaml': SMALL_MANIFEST.replace(
        '  card:\n    prompt: A card\n',
        '  card:\n    prompt: A card\n    seed: 3\n',
      ),
    });
    const b = await tempProject({ 'pixlock.yaml': await a.read('pixlock.yaml') });
    try {
      await generate({ config: a.config });
      await generate({ config: b.config });
      const strip = (t: string) => t.replace(/generatedAt: .*/g, '');
      expect(strip(await b.read('pixlock.lock'))).toBe(strip(await a.read('pixlock.lock')));
    } finally {
      await a.cleanup();
      await b.cleanup();
    }
  });

  it('lets a second process wait for the first, or fail clearly', async () => {
    const { p } = await generated();
    await p.write('pixlock.yaml', SMALL_MANIFEST + '  extra:\n    prompt: new one\n');
    // The first run holds the mutex while its one create is held at a barrier.
    const inCreate = deferred();
    const gate = deferred();
    const held = countingProvider();
    const first = generate({
      config: p.config,
      provider: {
        ...held.provider,
        async createTask(request, ctx) {
          inCreate.resolve();
          await gate.promise;
          return held.provider.createTask(request, ctx);
        },
      },
    });
    await inCreate.promise;
    const busy = await generate({
      config: p.config,
      provider: countingProvider().provider,
      waitMs: 0,
    }).catch((e: unknown) => e);
    expect(isPixlockError(busy, 'PROJECT_BUSY')).toBe(true);
    expect((busy as Error).message).toMatch(
      /another pixlock process is working on .*pixlock\.yaml/,
    );
    // The waiter says it waits; only then does the first run go on.
    const waiting = deferred();
    const waiter = countingProvider();
    const second = generate({
      config: p.config,
      provider: waiter.provider,
      waitMs: 60_000,
      logger: { info: () => {}, warn: (m) => m.startsWith('waiting for') && waiting.resolve() },
    });
    await waiting.promise;
    expect(held.calls.create).toBe(0);
    gate.resolve();
    const [done, waited] = await Promise.all([first, second]);
    expect(done.run?.counts.created).toBe(1);
    // The waiter read the lock after the first finished: nothing left to do.
    expect(waiter.calls.create).toBe(0);
    expect(waited.run?.counts.unchanged).toBe(4);
  });
});

describe('prune', () => {
  it('removes orphans: lock entries, outputs and originals nothing refers to', async () => {
    const { p } = await generated();
    await p.write('pixlock.yaml', SMALL_MANIFEST.replace(/ {2}hero:[\s\S]*?(?= {2}icons)/, ''));
    const dry = await prune(p.config, { dryRun: true });
    expect(dry).toMatchObject({
      ids: ['hero'],
      files: ['generated/hero.webp', 'generated/hero-320.webp', 'generated/hero-640.webp'],
      dryRun: true,
    });
    expect(dry.originals).toHaveLength(1);
    expect(await readdir(path.join(p.dir, 'generated'))).toContain('hero.webp');

    await prune(p.config);
    const lock = parseLock(await p.read('pixlock.lock'), 'pixlock.lock');
    expect(Object.keys(lock.images)).toEqual(['card', 'icons/star']);
    expect(await readdir(path.join(p.dir, 'generated'))).not.toContain('hero.webp');
    expect(await readdir(path.join(p.dir, '.pixlock/originals'))).toHaveLength(2);
    expect((await check(p.config)).ok).toBe(true);
  });
});
