import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPixlockInProcess } from './test-utils/run-pixlock-in-process.js';

const MANIFEST = `version: 1
provider: { name: placeholder }
outDir: out
defaults: { resolution: 1k, aspectRatio: "1:1", output: { format: webp, width: 32 } }
images:
  hero: { prompt: first, seed: 1 }
  team/ada: { prompt: second, seed: 2, output: { format: png, widths: [16, 24] } }
`;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'pixlock-conv-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function project(name: string): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(dir);
  await writeFile(path.join(dir, 'pixlock.yaml'), MANIFEST);
  return dir;
}

const ESC = String.fromCharCode(27);

describe('the command line, as people expect it (in process, through runCli)', () => {
  it('prints its version, and help with environment, exit codes and examples', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const v = await runPixlockInProcess(root, ['--version']);
    expect(v).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    const help = await runPixlockInProcess(root, ['--help']);
    expect(help.code).toBe(0);
    for (const s of ['KINOVI_API_KEY', 'KINOVI_BASE_URL', 'NO_COLOR', 'CI', 'Exit codes:'])
      expect(help.stdout).toContain(s);
    expect(help.stdout).toMatch(/Examples:\n {2}pixlock .*\n {2}pixlock /);
  });

  it('plan --detailed-exitcode: 2 with changes pending, 0 with none, 1 on an error', async () => {
    const d = await project('detailed');
    expect((await runPixlockInProcess(d, ['plan', '--detailed-exitcode'])).code).toBe(2);
    expect((await runPixlockInProcess(d, ['plan'])).code).toBe(0);
    expect((await runPixlockInProcess(d, ['generate'])).code).toBe(0);
    expect((await runPixlockInProcess(d, ['plan', '--detailed-exitcode'])).code).toBe(0);
    await writeFile(path.join(d, 'pixlock.yaml'), MANIFEST.replace('seed: 1', 'seed: 3'));
    const json = await runPixlockInProcess(d, ['plan', '--detailed-exitcode', '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ changes: true, counts: { regenerate: 1 } });
    // A bad manifest is 2 without the flag, 1 with it: 2 must mean "changes" only.
    await writeFile(path.join(d, 'pixlock.yaml'), 'version: 1\nimages: {hero: {}}\n');
    expect((await runPixlockInProcess(d, ['plan'])).code).toBe(2);
    expect((await runPixlockInProcess(d, ['plan', '--detailed-exitcode'])).code).toBe(1);
  });

  it('--only matching no id is a usage error naming the pattern, and changes nothing', async () => {
    const d = await project('only');
    for (const cmd of ['plan', 'generate']) {
      const r = await runPixlockInProcess(d, [cmd, '--only', 'heroo']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('--only "heroo" matches no image id');
      expect(r.stderr).toContain('did you mean "hero"?');
    }
    await expect(readFile(path.join(d, 'pixlock.lock'))).rejects.toThrow();
    expect((await runPixlockInProcess(d, ['plan', '--only', 'team/*,hero'])).code).toBe(0);
  });

  it('colours plan symbols only when asked: never in a pipe, never with NO_COLOR', async () => {
    const d = await project('colour');
    const piped = await runPixlockInProcess(d, ['plan']);
    expect(piped.stdout).toMatch(/^ {2}\+ hero/m);
    expect(piped.stdout).not.toContain(ESC);
    const forced = await runPixlockInProcess(d, ['plan'], { FORCE_COLOR: '1' });
    expect(forced.stdout).toContain(`${ESC}[32m  +${ESC}[39m hero`);
    const off = await runPixlockInProcess(d, ['plan'], { FORCE_COLOR: '1', NO_COLOR: '1' });
    expect(off.stdout).not.toContain(ESC);
  });

  it('results on stdout, progress and hints on stderr; --json counts match the text', async () => {
    const d = await project('streams');
    const gen = await runPixlockInProcess(d, ['generate']);
    expect(gen.code).toBe(0);
    // One line per finished image, on stderr; the summary on stdout.
    expect(gen.stderr).toMatch(/✓ hero: created/);
    expect(gen.stderr).toMatch(/✓ team\/ada: created/);
    expect(gen.stdout).toMatch(/^Done: 2 created, 0 resumed, 0 reused/);
    expect(gen.stdout).not.toMatch(/✓/);

    const docs: Record<string, unknown>[] = [];
    for (const args of [['validate'], ['plan'], ['check'], ['prune', '--dry-run']]) {
      const text = await runPixlockInProcess(d, args);
      const json = await runPixlockInProcess(d, [...args, '--json']);
      expect(text.code).toBe(json.code);
      const doc = JSON.parse(json.stdout) as { counts: Record<string, number> };
      expect(doc).toMatchObject({ version: 1, command: args[0], ok: true });
      docs.push(doc);
      // Every number of the text summary is a count of the document.
      const numbers = (text.stdout.match(/\d+/g) ?? []).map(Number);
      for (const n of numbers.filter((x) => x > 0))
        expect(Object.values(doc.counts), `${args[0]}: ${text.stdout}`).toContain(n);
    }
    const again = JSON.parse((await runPixlockInProcess(d, ['generate', '--json'])).stdout);
    expect(again).toMatchObject({ version: 1, command: 'generate', ok: true });
    expect(again.counts).toMatchObject({ created: 0, reused: 2, failed: 0 });
  });

  it('reports usage errors as JSON under --json, on stdout', async () => {
    const d = await project('usage');
    for (const args of [
      ['generate', '--no-such-flag', '--json'],
      ['generate', '--concurrency', '0', '--json'],
      ['plan', '--json', '--config', 'missing.yaml'],
    ]) {
      const r = await runPixlockInProcess(d, args);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toMatchObject({
        version: 1,
        ok: false,
        error: { code: expect.stringMatching(/^(USAGE|MANIFEST_NOT_FOUND)$/) },
      });
    }
  });

  it('generate and prune keep pixlock-env.d.ts when the Vite plugin is installed; check reports it stale', async () => {
    const d = await project('types');
    // Without the plugin in a node_modules at or above the manifest, no declarations.
    expect((await runPixlockInProcess(d, ['generate'])).code).toBe(0);
    await expect(readFile(path.join(d, 'pixlock-env.d.ts'))).rejects.toThrow();

    const plugin = path.join(d, 'node_modules/@pixlock/vite-plugin');
    await mkdir(plugin, { recursive: true });
    await writeFile(path.join(plugin, 'package.json'), '{"name":"@pixlock/vite-plugin"}');
    const missing = await runPixlockInProcess(d, ['check', '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({ ok: false, staleTypes: expect.any(String) });

    expect((await runPixlockInProcess(d, ['generate'])).code).toBe(0);
    const dts = await readFile(path.join(d, 'pixlock-env.d.ts'), 'utf8');
    expect(dts).toContain("declare module 'pixlock:team/ada'");
    expect((await runPixlockInProcess(d, ['check'])).code).toBe(0);

    await writeFile(path.join(d, 'pixlock.yaml'), MANIFEST + '  logo: { prompt: third }\n');
    await runPixlockInProcess(d, ['generate']);
    await writeFile(path.join(d, 'pixlock.yaml'), MANIFEST);
    await runPixlockInProcess(d, ['prune']);
    // prune brings the declarations in line with the manifest that lost `logo`.
    expect(await readFile(path.join(d, 'pixlock-env.d.ts'), 'utf8')).toBe(dts);
    expect((await runPixlockInProcess(d, ['check'])).code).toBe(0);
    // Edited by hand, they no longer match.
    await writeFile(path.join(d, 'pixlock-env.d.ts'), `${dts}// edited\n`);
    const stale = await runPixlockInProcess(d, ['check']);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain('stale: pixlock-env.d.ts does not match the manifest');
    expect((await runPixlockInProcess(d, ['generate', '--frozen'])).code).toBe(0);
    expect(await readFile(path.join(d, 'pixlock-env.d.ts'), 'utf8')).toBe(dts);
  });
});
