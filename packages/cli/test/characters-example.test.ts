import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPixlockInProcess } from '../src/test-utils/run-pixlock-in-process.js';

const EXAMPLE = fileURLToPath(new URL('../../../examples/characters/', import.meta.url));

let dir: string;
const run = (...args: string[]) => runPixlockInProcess(dir, args, { NO_COLOR: '1' });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pixlock-characters-'));
  await cp(EXAMPLE, dir, {
    recursive: true,
    filter: (src) => !src.includes('node_modules'),
  });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('examples/characters', () => {
  it('is committed up to date: check passes and the plan is empty', async () => {
    expect((await run('check')).code).toBe(0);
    const plan = await run('plan', '--detailed-exitcode');
    expect(plan.code).toBe(0);
  });

  it("an edit of the sheet's prompt regenerates what is built on it, and nothing else", async () => {
    const file = path.join(dir, 'pixlock.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('yellow raincoat', 'red raincoat'));
    const plan = await run('plan', '--graph', '--json');
    const entries = (
      JSON.parse(plan.stdout) as { entries: { id: string; action: string; reason: string }[] }
    ).entries;
    const action = Object.fromEntries(entries.map((e) => [e.id, e.action]));
    expect(action).toEqual({
      'banners/forest-wide': 'regenerate',
      'characters/mia': 'regenerate',
      'icons/app': 'unchanged',
      'products/lantern': 'unchanged',
      'products/lantern-lifestyle': 'unchanged',
      'scenes/forest': 'regenerate',
      'scenes/harbour': 'regenerate',
      'thumbnails/harbour': 'regenerate',
    });
    const text2 = await run('plan', '--graph');
    expect(text2.stdout).toContain('├─ scenes/harbour');
    expect(text2.stdout).toMatch(
      /scenes\/forest\s+regenerate\s+reference characters\/mia regenerated/,
    );
    // Generating it changes the pictures downstream (their insets show the new sheet).
    const before = await readFile(path.join(dir, 'generated/scenes/forest.webp'));
    expect((await run('generate')).code).toBe(0);
    const after = await readFile(path.join(dir, 'generated/scenes/forest.webp'));
    expect(after.equals(before)).toBe(false);
    const lantern = await run('plan', '--detailed-exitcode');
    expect(lantern.code).toBe(0);
  });
});
