import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPixlockError, type Diagnostic } from '../errors.js';
import { countingProvider } from '../test-utils/temp-project.js';
import { check } from '../project/check.js';
import { generate } from '../project/generate.js';
import { loadManifest } from './load-manifest.js';

// Issue 9, the manifest side: each test reproduces one attack and asserts it fails safely.
// Files outside the repository are FIFOs where reading them is the attack: opening a FIFO
// with no writer blocks, so a test that finishes proves the file was never opened.

const HEAD = 'version: 1\nprovider: { name: placeholder }\n';
let root: string;
let repo: string;
let outside: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'pixlock-hostile-'));
  repo = path.join(root, 'repo');
  outside = path.join(root, 'outside');
  await mkdir(path.join(repo, '.git'), { recursive: true });
  await mkdir(outside);
  execFileSync('mkfifo', [path.join(outside, 'secret.yaml'), path.join(outside, 'secret.png')]);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function write(rel: string, text: string | Buffer) {
  await mkdir(path.dirname(path.join(repo, rel)), { recursive: true });
  await writeFile(path.join(repo, rel), text);
}

/** The diagnostics loading the manifest throws (fails the test when it loads). */
async function problems(manifest: string): Promise<Diagnostic[]> {
  await write('pixlock.yaml', manifest);
  try {
    await loadManifest(path.join(repo, 'pixlock.yaml'));
  } catch (error) {
    if (isPixlockError(error, 'MANIFEST_INVALID')) return error.diagnostics;
    throw error;
  }
  throw new Error('the manifest loaded');
}

const png = () =>
  sharp({ create: { width: 2, height: 2, channels: 3, background: '#00f' } })
    .png()
    .toBuffer();

describe('includes stay in the repository', () => {
  it('refuses ../other/*.yaml and /etc/pass* at their lines, reading nothing', async () => {
    const d = await problems(`${HEAD}include:\n  - '../outside/*.yaml'\n  - '/etc/pass*'\n`);
    expect(d.map((x) => [x.line, x.column])).toEqual([
      [4, 5],
      [5, 5],
    ]);
    expect(d.every((x) => x.message.includes('outside the repository'))).toBe(true);
  });

  it('refuses a matched link to a file outside, without opening it', async () => {
    await mkdir(path.join(repo, 'parts'));
    await symlink('../../outside/secret.yaml', path.join(repo, 'parts/x.yaml'));
    const [d] = await problems(`${HEAD}include: ['parts/*.yaml']\n`);
    expect(d).toMatchObject({ line: 3, message: expect.stringMatching(/link to a file outside/) });
  });

  it('reads a file matched by two patterns once, not as a duplicate of itself', async () => {
    await write('parts/a.yaml', 'images:\n  a:\n    prompt: x\n');
    await write(
      'pixlock.yaml',
      `${HEAD}include: ['parts/*.yaml', 'parts/a.*', './parts/a.yaml']\n`,
    );
    const m = await loadManifest(path.join(repo, 'pixlock.yaml'));
    expect(m.images.map((i) => i.id)).toEqual(['a']);
    expect(m.files).toHaveLength(2);
  });

  it('accepts ../ that stays inside the repository', async () => {
    await write('shared/a.yaml', 'images:\n  a:\n    prompt: x\n');
    await write('site/pixlock.yaml', `${HEAD}include: ['../shared/*.yaml']\n`);
    const m = await loadManifest(path.join(repo, 'site/pixlock.yaml'));
    expect(m.images.map((i) => i.id)).toEqual(['a']);
  });
});

describe('local references stay in the repository and are images', () => {
  const ref = (r: string) => `${HEAD}images:\n  a:\n    prompt: x\n    references: ['${r}']\n`;

  it.each([
    ['absolute', '/etc/passwd', /absolute path/],
    ['escaping with ..', '../outside/secret.png', /outside the repository/],
  ])('refuses an %s reference at its line', async (_what, r, message) => {
    const [d] = await problems(ref(r));
    expect(d).toMatchObject({ line: 6, column: 18, message: expect.stringMatching(message) });
  });

  it('refuses a link that leads outside, without opening it', async () => {
    await mkdir(path.join(repo, 'refs'));
    await symlink('../../outside/secret.png', path.join(repo, 'refs/style.png'));
    const [d] = await problems(ref('refs/style.png'));
    expect(d).toMatchObject({ line: 6, message: expect.stringMatching(/outside the repository/) });
  });

  it('refuses a text file named .png, and accepts a real PNG', async () => {
    await write('refs/notes.png', 'root:x:0:0:root:/root:/bin/bash\n');
    const [d] = await problems(ref('refs/notes.png'));
    expect(d).toMatchObject({ line: 6, message: expect.stringMatching(/is not an image/) });
    await write('refs/real.png', await png());
    await write('pixlock.yaml', ref('refs/real.png'));
    const m = await loadManifest(path.join(repo, 'pixlock.yaml'));
    expect(m.images[0]!.references).toEqual(['refs/real.png']);
  });

  it('never uploads a refused reference: generate stops before the provider', async () => {
    await write('refs/notes.png', 'not an image');
    await write('pixlock.yaml', ref('refs/notes.png'));
    const counting = countingProvider();
    await expect(
      generate({ config: path.join(repo, 'pixlock.yaml'), provider: counting.provider }),
    ).rejects.toMatchObject({ code: 'MANIFEST_INVALID' });
    expect(counting.calls).toMatchObject({ create: 0 });
  });
});

describe('reference URLs are http(s) only', () => {
  it.each([
    'file:///etc/passwd',
    'ftp://example.com/a.png',
    'javascript://alert(1)',
    'javascript:alert(1)',
    'data:image/png;base64,iVBORw0KGgo=',
  ])('refuses %s at its line', async (r) => {
    const d = await problems(
      `${HEAD}images:\n  a:\n    prompt: x\n    references:\n      - '${r}'\n`,
    );
    expect(d).toEqual([
      expect.objectContaining({ line: 7, column: 9, message: expect.stringMatching(/URL/) }),
    ]);
  });

  it('takes https URLs without touching the disk', async () => {
    await write(
      'pixlock.yaml',
      `${HEAD}images:\n  a:\n    prompt: x\n    references: ['https://cdn.example/a.png']\n`,
    );
    const m = await loadManifest(path.join(repo, 'pixlock.yaml'));
    expect(m.images[0]!.references).toEqual(['https://cdn.example/a.png']);
  });
});

describe('outDir stays in the repository', () => {
  it.each(['../escaped', '/tmp/escaped'])('refuses outDir %s', async (dir) => {
    const [d] = await problems(`${HEAD}outDir: ${dir}\n`);
    expect(d).toMatchObject({ line: 3, column: 9, message: expect.stringMatching(/outside/) });
  });

  it('refuses an outDir reached through a link that leads outside', async () => {
    await symlink('../outside', path.join(repo, 'out'));
    const [d] = await problems(`${HEAD}outDir: out/images\n`);
    expect(d).toMatchObject({ line: 3, message: expect.stringMatching(/outside/) });
  });
});

describe('a bad manifest writes nothing', () => {
  it('generate, its dry run and check leave no .pixlock/ behind', async () => {
    await write('pixlock.yaml', `${HEAD}images:\n  a: { prompt: x, aspectRatio: "2:1" }\n`);
    const config = path.join(repo, 'pixlock.yaml');
    const counting = countingProvider();
    for (const run of [
      () => generate({ config, provider: counting.provider }),
      () => generate({ config, dryRun: true }),
      () => check(config),
    ]) {
      await expect(run()).rejects.toMatchObject({ code: 'MANIFEST_INVALID' });
    }
    expect((await readdir(repo)).sort()).toEqual(['.git', 'pixlock.yaml']);
  });
});

describe('the parser is bounded', () => {
  it('stops an alias bomb at the alias, with its position', async () => {
    const levels = ['  a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [prev, name] of [...'abcdefgh'].map((c, i) => [c, 'bcdefghi'[i]!])) {
      levels.push(`  ${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    const d = await problems(`${HEAD}images:\n${levels.join('\n')}\n`);
    expect(d).toHaveLength(1);
    expect(d[0]!.message).toMatch(/alias bomb/);
    expect(d[0]!.line).toBeGreaterThan(3);
  });

  it('stops nesting 10,000 deep with its position', async () => {
    const [d] = await problems(`${HEAD}images: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`);
    expect(d).toMatchObject({ line: 3, message: expect.stringMatching(/nested deeper/) });
  });

  it('refuses invalid UTF-8 at its line instead of turning it into U+FFFD', async () => {
    await write(
      'pixlock.yaml',
      Buffer.concat([
        Buffer.from(`${HEAD}images:\n  a:\n    prompt: caf`),
        Buffer.from([0xe9, 0x0a]),
      ]),
    );
    await expect(loadManifest(path.join(repo, 'pixlock.yaml'))).rejects.toMatchObject({
      code: 'MANIFEST_INVALID',
      diagnostics: [expect.objectContaining({ line: 5, column: 16 })],
    });
  });
});

describe('every problem of every file', () => {
  it('reports the included files too when the main one is invalid', async () => {
    await write('parts/a.yaml', 'images:\n  a:\n    promt: x\n');
    const d = await problems(`${HEAD}include: ['parts/*.yaml']\nbudget: -1\n`);
    expect(d.map((x) => [path.relative(repo, x.file), x.line])).toEqual([
      ['pixlock.yaml', 4],
      ['parts/a.yaml', 2], // missing prompt, at its image
      ['parts/a.yaml', 3], // unknown key promt
    ]);
  });
});
