import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { sha256 } from '@pixlock/core/light';
import { runPixlockInProcess } from '../test-utils/run-pixlock-in-process.js';
import { declarationsMatch } from './declarations.js';

// Where pixlock-env.d.ts goes in an untouched create-vite app, and that init, generate, prune
// and check agree on it. In process: nothing here needs a separate one.

const REACT_TS = fileURLToPath(
  new URL('../../../core/src/assets/__fixtures__/create-vite-9.3/react-ts/', import.meta.url),
);

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** An app made from the react-ts template's tsconfig files, with the Vite plugin "installed". */
async function reactApp(): Promise<string> {
  dir = await mkdtemp(path.join(tmpdir(), 'pixlock-types-'));
  await cp(REACT_TS, dir, { recursive: true });
  await mkdir(path.join(dir, 'src'));
  // All the CLI looks for: the package a node_modules would hold.
  await mkdir(path.join(dir, 'node_modules/@pixlock/vite-plugin'), { recursive: true });
  await writeFile(path.join(dir, 'node_modules/@pixlock/vite-plugin/package.json'), '{}');
  return dir;
}

/** Runs the CLI in process in `cwd`; exit code and what it printed. */
async function pixlock(cwd: string, ...argv: string[]) {
  const run = await runPixlockInProcess(cwd, argv);
  return { code: run.code, out: run.stdout, err: run.stderr };
}

const MANIFEST = `version: 1
provider:
  name: placeholder
defaults:
  resolution: 1k
  output: { format: webp, width: 64 }
images:
  hero:
    prompt: A lighthouse
  logo:
    prompt: A logo
`;

describe('pixlock-env.d.ts in a create-vite app', () => {
  it('init says where it goes, generate writes it there, with no tsconfig edit', async () => {
    const app = await reactApp();
    const init = await pixlock(app, 'init');
    expect(init.code).toBe(0);
    expect(init.out).toContain(
      'types: pixlock generate writes src/pixlock-env.d.ts, which tsconfig.app.json already includes',
    );
    await writeFile(path.join(app, 'pixlock.yaml'), MANIFEST);
    const gen = await pixlock(app, 'generate');
    expect(gen.code, gen.err).toBe(0);
    expect(gen.err).toContain('wrote src/pixlock-env.d.ts');
    expect(await readFile(path.join(app, 'src/pixlock-env.d.ts'), 'utf8')).toContain(
      "declare module 'pixlock:logo'",
    );
    expect(existsSync(path.join(app, 'pixlock-env.d.ts'))).toBe(false);
    expect((await pixlock(app, 'check')).code).toBe(0);
  });

  it('prune keeps it current, so check passes after it', async () => {
    const app = await reactApp();
    await writeFile(path.join(app, 'pixlock.yaml'), MANIFEST);
    expect((await pixlock(app, 'generate')).code).toBe(0);
    await writeFile(path.join(app, 'pixlock.yaml'), MANIFEST.replace(/ {2}logo:\n.*\n/, ''));
    const dry = await pixlock(app, 'prune', '--dry-run');
    expect(dry.err).toContain('would write src/pixlock-env.d.ts');
    expect(await readFile(path.join(app, 'src/pixlock-env.d.ts'), 'utf8')).toContain('logo');

    const pruned = await pixlock(app, 'prune');
    expect(pruned.code).toBe(0);
    expect(pruned.err).toContain('wrote src/pixlock-env.d.ts');
    expect(await readFile(path.join(app, 'src/pixlock-env.d.ts'), 'utf8')).not.toContain('logo');
    const check = await pixlock(app, 'check');
    expect(check.out).not.toContain('stale');
    expect(check.code).toBe(0);
  });

  it('a no-op trusts the place decided last only while no tsconfig that decided it changed', async () => {
    const app = await reactApp();
    await writeFile(path.join(app, 'pixlock.yaml'), MANIFEST);
    expect((await pixlock(app, 'generate')).code).toBe(0);
    const digest = sha256(await readFile(path.join(app, 'src/pixlock-env.d.ts'), 'utf8'));
    // A full check keeps the memo of the place (its cache folder exists by then).
    expect((await pixlock(app, 'check')).code).toBe(0);
    // What the up-to-date path asks, without parsing any tsconfig.
    expect(await declarationsMatch(app, digest)).toBe(true);
    expect(await declarationsMatch(app, sha256('other text'))).toBe(false);
    // The app now lists the file beside the manifest: the memo no longer holds.
    await writeFile(
      path.join(app, 'tsconfig.app.json'),
      JSON.stringify({ include: ['src', 'pixlock-env.d.ts'] }),
    );
    expect(await declarationsMatch(app, digest)).toBe(false);
    // And the full check looks there, where nothing is yet.
    const check = await pixlock(app, 'check');
    expect(check.out).toContain('stale: pixlock-env.d.ts does not match the manifest');
    expect(check.code).toBe(1);
    // A tsconfig.json added where there was none counts as a change too.
    await rm(path.join(app, 'tsconfig.json'));
    expect((await pixlock(app, 'generate')).code).toBe(0);
    expect((await pixlock(app, 'check')).code).toBe(0);
    const beside = sha256(await readFile(path.join(app, 'pixlock-env.d.ts'), 'utf8'));
    expect(await declarationsMatch(app, beside)).toBe(true);
    await writeFile(path.join(app, 'tsconfig.json'), '{ "include": ["src"] }');
    expect(await declarationsMatch(app, beside)).toBe(false);
  });
});
