import { mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPixlockInProcess } from './test-utils/run-pixlock-in-process.js';

// A no-op answered from .pixlock/cache/up-to-date.json must print exactly what a full read
// prints, for every command and output mode, and must not read the project to do it.

let dir: string;
const manifest = `version: 1
provider: { name: placeholder }
outDir: generated
defaults:
  resolution: 1k
  output: { format: webp, widths: [64] }
images:
  a: { prompt: "First image", seed: 1 }
  b: { prompt: "Second image", seed: 2 }
  c: { prompt: "Third image", seed: 3 }
`;
const cache = () => path.join(dir, '.pixlock', 'cache');
const HOUR_AGO = new Date(Date.now() - 3_600_000);

async function age(d: string): Promise<void> {
  for (const entry of await readdir(d, { withFileTypes: true })) {
    const p = path.join(d, entry.name);
    if (entry.isDirectory()) await age(p);
    await utimes(p, HOUR_AGO, HOUR_AGO);
  }
  await utimes(d, HOUR_AGO, HOUR_AGO);
}

/** Every cache file but the record and the plan it names: a full read writes them again. */
async function dropReadCaches() {
  for (const f of ['manifest.json', 'parsed-lock.json', 'hashes.json', 'checked-lock'])
    await rm(path.join(cache(), f), { force: true });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pixlock-up-to-date-'));
  await writeFile(path.join(dir, 'pixlock.yaml'), manifest);
  expect((await runPixlockInProcess(dir, ['generate'])).code).toBe(0);
  // c goes from the manifest: an orphan in the lock, which a no-op still reports.
  await writeFile(path.join(dir, 'pixlock.yaml'), manifest.replace(/ {2}c: .*\n/, ''));
  await age(dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a no-op answered from the up-to-date record', () => {
  it.each(
    [
      ['generate'],
      ['generate', '--json'],
      ['generate', '--dry-run'],
      ['check'],
      ['check', '--json'],
      ['plan'],
      ['plan', '--json'],
      ['plan', '--all'],
      ['plan', '--graph'],
      ['plan', '--detailed-exitcode'],
    ].map((args) => [args.join(' '), args] as const),
  )('prints what a full read prints: pixlock %s', async (_name, args) => {
    await rm(path.join(cache(), 'up-to-date.json'), { force: true });
    const full = await runPixlockInProcess(dir, args);
    // The full read left the record; without the caches a full read needs, only it can answer.
    expect((await stat(path.join(cache(), 'up-to-date.json'))).isFile()).toBe(true);
    await dropReadCaches();
    const fast = await runPixlockInProcess(dir, args);
    expect(await readdir(cache())).not.toContain('parsed-lock.json');
    expect(fast).toEqual(full);
    expect(full.code).toBe(0);
  });

  it('is not used once an output is gone: generate restores it', async () => {
    await runPixlockInProcess(dir, ['check']);
    await rm(path.join(dir, 'generated', 'a-64.webp'));
    const check = await runPixlockInProcess(dir, ['check']);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('a: restore');
    const run = await runPixlockInProcess(dir, ['generate']);
    expect(run.stdout).toContain('1 restored');
    expect((await stat(path.join(dir, 'generated', 'a-64.webp'))).isFile()).toBe(true);
  });
});
