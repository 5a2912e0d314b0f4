import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLock } from '../lock/parse-lock.js';
import type { Lockfile } from '../lock/lockfile.js';
import { lockObjects } from '../engine/stored-objects.js';
import { countingProvider } from '../test-utils/temp-project.js';
import { mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generate } from './generate.js';
import { pick } from './pick.js';
import { storeProject, type StoreProject } from '../test-utils/store-project.js';

let s: StoreProject | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

async function lockOf(project: { read(rel: string): Promise<string> }): Promise<Lockfile> {
  return parseLock(await project.read('pixlock.lock'), 'pixlock.lock');
}

describe('generate with a store', () => {
  it('pushes every original and output the lock names, and keeps the originals out of git', async () => {
    s = await storeProject();
    const { provider } = countingProvider();
    const { run } = await generate({ config: s.p.config, provider, ...s.options });
    expect(run?.unpushed).toBeUndefined();
    expect(run?.counts.created).toBe(3);
    const lock = await lockOf(s.p);
    const objects = lockObjects(lock, true);
    const files = Object.values(lock.images).flatMap((e) => e.output.files);
    expect(objects.filter((o) => o.kind === 'originals')).toHaveLength(3);
    expect(objects.filter((o) => o.kind === 'outputs')).toHaveLength(files.length);
    for (const o of objects) expect(await s.holds(o)).toBe(true);
    expect(await s.p.read('.pixlock/originals/.gitignore')).toMatch(/^\*$/m);
    expect(existsSync(`${s.p.dir}/.pixlock/unpushed.jsonl`)).toBe(false);
  });

  it('restores a fresh clone (manifest and lock only) from the store, byte-identical, encoding nothing', async () => {
    s = await storeProject();
    await generate({ config: s.p.config, provider: countingProvider().provider, ...s.options });
    const clone = await s.freshClone();
    const lock = await lockOf(clone);
    s.codecCalls.encode = 0;
    s.codecCalls.decode = 0;
    const lists = s.h.s3.stats.requests.list;
    const { run } = await generate({ config: clone.config, frozen: true, ...s.options });
    expect(run?.counts.restored).toBe(3);
    expect(run?.unpushed).toBeUndefined();
    expect(s.codecCalls).toEqual({ encode: 0, decode: 0 });
    for (const entry of Object.values(lock.images))
      for (const f of entry.output.files)
        expect((await clone.readBytes(f.path)).equals(await s.p.readBytes(f.path))).toBe(true);
    // The lock is as it was, and no original was fetched: none was needed.
    expect(await clone.read('pixlock.lock')).toBe(await s.p.read('pixlock.lock'));
    expect(await s.files(clone, '.pixlock/originals')).toEqual(['.gitignore']);
    // Existence by listing, not one request per object.
    expect(s.h.s3.stats.requests.list - lists).toBeLessThanOrEqual(4);
  });

  it('encodes only what the store lacks or holds damaged (refused, then repaired)', async () => {
    s = await storeProject();
    await generate({ config: s.p.config, provider: countingProvider().provider, ...s.options });
    const lock = await lockOf(s.p);
    const hero = lock.images.hero!.output.files[0]!;
    // Bit rot in the store: the object under hero-320's sha256 holds other bytes.
    await s.h.s3.seed(`team/site/outputs/${hero.sha256}.webp`, Buffer.from('not the image'));
    const clone = await s.freshClone();
    s.codecCalls.encode = 0;
    const { run } = await generate({ config: clone.config, frozen: true, ...s.options });
    expect(run?.counts.restored).toBe(3);
    expect(s.codecCalls.encode).toBe(1);
    expect((await clone.readBytes(hero.path)).equals(await s.p.readBytes(hero.path))).toBe(true);
    expect(await clone.read('pixlock.lock')).toBe(await s.p.read('pixlock.lock'));
    // The damaged object was written over with the verified bytes: the next clone encodes nothing.
    const next = await s.freshClone();
    s.codecCalls.encode = 0;
    await generate({ config: next.config, frozen: true, ...s.options });
    expect(s.codecCalls.encode).toBe(0);
    expect((await next.readBytes(hero.path)).equals(await s.p.readBytes(hero.path))).toBe(true);
  });

  it('a store failing mid-run keeps the originals locally, names them, and the next run pushes them first', async () => {
    s = await storeProject();
    const counting = countingProvider();
    // The marker and the outputs go through; every original's upload fails, through retries.
    s.h.s3.inject({ op: 'put', keyIncludes: '/originals/', status: 500, times: 1000 });
    const { run } = await generate({
      config: s.p.config,
      provider: counting.provider,
      ...s.options,
    });
    expect(run?.counts.created).toBe(3);
    const lock = await lockOf(s.p);
    const originals = Object.values(lock.images).map((e) => e.original);
    // Every original, and what came after the store was found down (nothing more is tried).
    const named = new Set(run?.unpushed?.map((u) => u.object));
    for (const o of originals)
      expect(named.has(`${s.h.settings.url}/originals/${o.sha256}.png`)).toBe(true);
    expect(run?.unpushed?.every((u) => u.code === 'STORE_UNREACHABLE')).toBe(true);
    for (const o of originals) {
      expect(existsSync(`${s.p.dir}/.pixlock/originals/${o.sha256}.png`)).toBe(true);
      expect(await s.holds({ kind: 'originals', ...o })).toBe(false);
    }
    const journal = await s.p.read('.pixlock/unpushed.jsonl');
    expect(journal.trim().split('\n')).toHaveLength(named.size);
    s.h.s3.clearFaults();
    // Nothing to generate, but something to push: pushed first, and nothing paid again.
    const again = await generate({ config: s.p.config, provider: counting.provider, ...s.options });
    expect(again.run?.unpushed).toBeUndefined();
    for (const o of lockObjects(lock, true)) expect(await s.holds(o)).toBe(true);
    expect(existsSync(`${s.p.dir}/.pixlock/unpushed.jsonl`)).toBe(false);
    expect(counting.calls.create).toBe(3);
  });

  it('checks the store writable before the first paid create: an unreachable store costs nothing', async () => {
    s = await storeProject();
    const counting = countingProvider();
    s.h.s3.inject({ op: 'any', status: 503, times: 1000 });
    await expect(
      generate({ config: s.p.config, provider: counting.provider, ...s.options }),
    ).rejects.toMatchObject({ code: 'STORE_UNREACHABLE' });
    expect(counting.calls.create).toBe(0);
    expect(existsSync(`${s.p.dir}/pixlock.lock`)).toBe(false);
  });

  it('pushes and restores through 5xx, SlowDown, resets, cut and trickled bodies', async () => {
    s = await storeProject();
    // Fewer faults of each kind than a transfer's tries: every one is retried through.
    s.h.s3.inject({ op: 'put', keyIncludes: 'pixlock-store.json', status: 503 });
    s.h.s3.inject({ op: 'put', keyIncludes: '/originals/', status: 503, code: 'SlowDown' });
    s.h.s3.inject({ op: 'put', keyIncludes: '/originals/', kind: 'reset' });
    s.h.s3.inject({ op: 'put', keyIncludes: '/outputs/', status: 500 });
    s.h.s3.inject({ op: 'put', keyIncludes: '/outputs/', kind: 'reset-after' });
    const { run } = await generate({
      config: s.p.config,
      provider: countingProvider().provider,
      ...s.options,
    });
    expect(run?.unpushed).toBeUndefined();
    for (const o of lockObjects(await lockOf(s.p), true)) expect(await s.holds(o)).toBe(true);
    expect(s.h.s3.pendingFaults).toBe(0);

    const clone = await s.freshClone();
    s.h.s3.inject({ op: 'head', status: 503, code: 'SlowDown' });
    s.h.s3.inject({ op: 'get', status: 500 });
    s.h.s3.inject({ op: 'get', kind: 'reset' });
    s.h.s3.inject({ op: 'get', kind: 'cut-body' });
    s.h.s3.inject({ op: 'get', kind: 'trickle', bytesPerSecond: 20_000 });
    s.codecCalls.encode = 0;
    const restored = await generate({ config: clone.config, frozen: true, ...s.options });
    expect(restored.run?.counts.restored).toBe(3);
    expect(s.h.s3.pendingFaults).toBe(0);
    expect(s.codecCalls.encode).toBe(0);
    for (const entry of Object.values((await lockOf(s.p)).images))
      for (const f of entry.output.files)
        expect((await clone.readBytes(f.path)).equals(await s.p.readBytes(f.path))).toBe(true);
  });

  it('refuses an original the store holds damaged: nothing is made from it', async () => {
    s = await storeProject({ outputs: false });
    await generate({ config: s.p.config, provider: countingProvider().provider, ...s.options });
    const hero = (await lockOf(s.p)).images.hero!;
    await s.h.s3.seed(`team/site/originals/${hero.original.sha256}.png`, Buffer.from('rot'));
    const clone = await s.freshClone();
    const { run } = await generate({ config: clone.config, frozen: true, ...s.options });
    const result = run?.results.find((r) => r.id === 'hero');
    expect(result).toMatchObject({ outcome: 'failed', error: { code: 'ORIGINAL_MISSING' } });
    expect(result?.error?.message).toMatch(/is damaged/);
    expect(run?.counts.restored).toBe(2);
    for (const f of hero.output.files) expect(existsSync(`${clone.dir}/${f.path}`)).toBe(false);
    expect(await s.files(clone, '.pixlock/originals')).not.toContain(`${hero.original.sha256}.png`);
  });

  it('pick fetches a candidate original the local cache lacks from the store, and pushes its outputs', async () => {
    s = await storeProject({
      manifest: `version: 1
provider: { name: placeholder }
outDir: generated
defaults: { resolution: 1k, aspectRatio: "1:1", output: { format: webp, width: 64 } }
images:
  hero: { prompt: "a hero", seed: 42, variants: 2 }
`,
    });
    await generate({ config: s.p.config, provider: countingProvider().provider, ...s.options });
    await rm(`${s.p.dir}/.pixlock/originals`, { recursive: true });
    const picked = await pick(s.p.config, 'hero', 2, s.options);
    expect(picked.unpushed).toBeUndefined();
    const lock = await lockOf(s.p);
    expect(lock.images.hero!.chosen).toBe(2);
    for (const o of lockObjects(lock, true)) expect(await s.holds(o)).toBe(true);
    const second = lock.images.hero!.candidates![1]!.original.sha256;
    expect(await s.files(s.p, '.pixlock/originals')).toContain(`${second}.png`);
  });

  it('a push journal from a pull request makes pixlock push nothing the lock does not name', async () => {
    s = await storeProject();
    await generate({ config: s.p.config, provider: countingProvider().provider, ...s.options });
    const known = lockObjects(await lockOf(s.p), true)[0]!;
    await s.p.write(
      '.pixlock/unpushed.jsonl',
      [
        `{"unstored":"originals/${'a'.repeat(64)}"}`,
        '{"unstored":"../../.env"}',
        '{"unstored":"outputs/../pixlock.yaml"}',
        'not json',
        `{"unstored":"${known.kind}/${known.sha256}"}`,
      ].join('\n'),
    );
    const puts = s.h.s3.stats.requests.put;
    const { run } = await generate({ config: s.p.config, ...s.options });
    expect(run?.unpushed).toBeUndefined();
    expect(s.h.s3.stats.requests.put).toBe(puts);
    expect(existsSync(`${s.p.dir}/.pixlock/unpushed.jsonl`)).toBe(false);
  });

  it('refuses to write the cache through a link where .pixlock/originals was', async () => {
    s = await storeProject();
    const elsewhere = await mkdtemp(path.join(tmpdir(), 'pixlock-elsewhere-'));
    await mkdir(`${s.p.dir}/.pixlock`, { recursive: true });
    await symlink(elsewhere, `${s.p.dir}/.pixlock/originals`);
    const counting = countingProvider();
    await expect(
      generate({ config: s.p.config, provider: counting.provider, ...s.options }),
    ).rejects.toMatchObject({ code: 'PATH_UNSAFE' });
    expect(counting.calls.create).toBe(0);
    expect(await readdir(elsewhere)).toEqual([]);
    await rm(elsewhere, { recursive: true });
  });

  it('a fresh clone encodes what the store lacks from the original in the store, then pushes it', async () => {
    s = await storeProject({ outputs: false });
    await generate({ config: s.p.config, provider: countingProvider().provider, ...s.options });
    // Outputs kept in the store from now on: it holds none of them yet.
    await s.p.write(
      'pixlock.yaml',
      (await s.p.read('pixlock.yaml')).replace('outputs: false', 'outputs: true'),
    );
    const clone = await s.freshClone();
    const lock = await lockOf(clone);
    const outputs = lockObjects(lock, true).filter((o) => o.kind === 'outputs');
    for (const o of outputs) expect(await s.holds(o)).toBe(false);
    s.codecCalls.encode = 0;
    const { run } = await generate({ config: clone.config, frozen: true, ...s.options });
    expect(run?.counts.restored).toBe(3);
    expect(run?.unpushed).toBeUndefined();
    expect(s.codecCalls.encode).toBe(outputs.length);
    for (const o of outputs) expect(await s.holds(o)).toBe(true);
    expect(await clone.read('pixlock.lock')).toBe(await s.p.read('pixlock.lock'));
  });

  it('an image built on another fetches that original from the store when the cache lacks it', async () => {
    s = await storeProject({
      outputs: false,
      manifest: `version: 1
provider: { name: placeholder }
outDir: generated
defaults: { resolution: 1k, aspectRatio: "1:1", output: { format: webp, width: 64 } }
images:
  mia: { prompt: "a character", seed: 1 }
  scene: { prompt: "mia in a scene", seed: 2, references: [{ image: mia }] }
`,
    });
    const counting = countingProvider();
    await generate({ config: s.p.config, provider: counting.provider, ...s.options });
    const mia = (await lockOf(s.p)).images.mia!.original;
    await rm(`${s.p.dir}/.pixlock/originals`, { recursive: true });
    const { run } = await generate({
      config: s.p.config,
      provider: counting.provider,
      force: ['scene'],
      ...s.options,
    });
    expect(run?.results.find((r) => r.id === 'scene')?.outcome).toBe('regenerated');
    expect(counting.calls.createdIds).toEqual(['mia', 'scene', 'scene']);
    expect(await s.files(s.p, '.pixlock/originals')).toContain(`${mia.sha256}.png`);
  });

  it('a store that is down during a restore: outputs made from the local originals, the run names what it could not push', async () => {
    s = await storeProject();
    await generate({ config: s.p.config, provider: countingProvider().provider, ...s.options });
    const lock = await lockOf(s.p);
    const files = Object.values(lock.images).flatMap((e) => e.output.files);
    const before = await Promise.all(files.map((f) => s!.p.readBytes(f.path)));
    for (const f of files) await s.p.remove(f.path);
    s.h.s3.inject({ op: 'any', status: 503, times: 10_000 });
    const { run } = await generate({ config: s.p.config, frozen: true, ...s.options });
    expect(run?.counts.restored).toBe(3);
    for (const [i, f] of files.entries())
      expect((await s.p.readBytes(f.path)).equals(before[i]!)).toBe(true);
    expect(run?.unpushed?.every((u) => u.code === 'STORE_UNREACHABLE')).toBe(true);
    expect(run?.unpushed?.length).toBe(files.length);
  });
});
