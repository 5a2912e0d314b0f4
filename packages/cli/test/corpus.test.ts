import { createHash } from 'node:crypto';
import {
  cp,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPixlockInProcess } from '../src/test-utils/run-pixlock-in-process.js';

// The CLI runs in this process (runCli, the bin's own entry, with its output captured): what
// is tested is what each command says and writes, not how a process starts.
const CORPUS = fileURLToPath(new URL('./corpus/manifests/', import.meta.url));
const COMMANDS = [
  ['validate'],
  ['plan'],
  ['generate'],
  ['generate', '--dry-run'],
  ['check'],
  ['prune'],
] as const;
const SECRETS = ['leaked-secret-key', 'TOP-SECRET-CONTENT', 'root:x:0:0'];

/** Where a case's error must point (see corpus/README.md). */
interface Expect {
  file: string;
  line: number;
  column?: number;
  message?: string;
  symlinks?: Record<string, string>;
  generate?: 'deep-nesting' | 'huge-error-at-end';
}

interface Run {
  code: number;
  out: string;
}

// No provider key or URL from the environment the tests run in.
const NO_KINOVI = Object.fromEntries(
  Object.keys(process.env)
    .filter((k) => k.startsWith('KINOVI_'))
    .map((k) => [k, undefined]),
);

async function pixlock(cwd: string, args: readonly string[]): Promise<Run> {
  const { code, stdout, stderr } = await runPixlockInProcess(cwd, args, NO_KINOVI);
  return { code, out: stdout + stderr };
}

/** Every entry under `dir`, links not followed: files by sha256, links by target. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string) => {
    for (const name of (await readdir(d)).sort()) {
      const p = path.join(d, name);
      const rel = path.relative(dir, p);
      const s = await lstat(p);
      if (s.isSymbolicLink()) out[rel] = `link ${await readlink(p)}`;
      else if (s.isDirectory()) {
        out[rel] = 'dir';
        await walk(p);
      } else
        out[rel] = createHash('sha256')
          .update(await readFile(p))
          .digest('hex');
    }
  };
  await walk(dir);
  return out;
}

function generated(kind: NonNullable<Expect['generate']>): string {
  const head = 'version: 1\nprovider:\n  name: placeholder\n';
  if (kind === 'deep-nesting') return `${head}images: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`;
  const lines = [head + 'images:'];
  for (let i = 0; i < 100_000; i++) lines.push(`  img-${i}:\n    prompt: picture number ${i}`);
  lines.push('  last:\n    aspectRatio: "2:1"\n    prompt: x\n');
  return lines.join('\n');
}

let work: string;
let secretPng: Buffer;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'pixlock-corpus-'));
  secretPng = await sharp({
    create: { width: 4, height: 4, channels: 3, background: '#f00' },
  })
    .png()
    .toBuffer();
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A fresh repository with the case in it, and a folder outside it with secrets. */
async function setUp(name: string, expected: Expect): Promise<{ root: string; repo: string }> {
  const root = path.join(work, name);
  const repo = path.join(root, 'repo');
  await cp(path.join(CORPUS, name), repo, { recursive: true });
  await rm(path.join(repo, 'expect.json'));
  await mkdir(path.join(repo, '.git'));
  const outside = path.join(root, 'outside');
  await mkdir(outside);
  await writeFile(
    path.join(outside, 'secret.yaml'),
    'images:\n  leaked-secret-key:\n    prompt: TOP-SECRET-CONTENT\n',
  );
  await writeFile(path.join(outside, 'secret.png'), secretPng);
  await writeFile(path.join(outside, 'passwd'), 'root:x:0:0:root:/root:/bin/bash\n');
  for (const [link, target] of Object.entries(expected.symlinks ?? {})) {
    await mkdir(path.dirname(path.join(repo, link)), { recursive: true });
    await symlink(target, path.join(repo, link));
  }
  if (expected.generate)
    await writeFile(path.join(repo, 'pixlock.yaml'), generated(expected.generate));
  return { root, repo };
}

const names = (await readdir(CORPUS)).sort();
const cases = await Promise.all(
  names.map(async (name) => {
    const expected = JSON.parse(
      await readFile(path.join(CORPUS, name, 'expect.json'), 'utf8'),
    ) as Expect;
    return [name, expected] as const;
  }),
);

describe('bad-manifest corpus through the CLI', () => {
  it('has at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  // Every command on every case; cases run side by side (runs in one process share nothing).
  it.concurrent.for(cases)(
    '%s: exit 2 at its line, no stack trace, no secret, nothing written',
    // Side by side in one process, a case waits for the others: the 7 MB one takes seconds.
    { timeout: 120_000 },
    async ([name, expected], { expect }) => {
      const { root, repo } = await setUp(name, expected);
      const before = await snapshot(root);
      const where = `${expected.file}:${expected.line}:${expected.column ?? ''}`;
      const failures: string[] = [];
      // The 7 MB case costs a second a command: validate and generate (the two entry points) only.
      const commands =
        expected.generate === 'huge-error-at-end' ? [['validate'], ['generate']] : COMMANDS;
      for (const args of commands) {
        const run = await pixlock(repo, args);
        const say = (what: string) =>
          failures.push(`${name} / ${args.join(' ')}: ${what}\n${run.out.slice(0, 600)}`);
        if (run.code !== 2) say(`exit ${run.code}, expected 2`);
        if (!run.out.includes(where)) say(`no diagnostic at ${where}`);
        if (expected.message && !run.out.includes(expected.message))
          say(`message lacks "${expected.message}"`);
        if (/^\s+at .+:\d+:\d+\)?$/m.test(run.out)) say('stack trace printed');
        for (const secret of SECRETS) if (run.out.includes(secret)) say(`leaked ${secret}`);
        const after = await snapshot(root);
        if (JSON.stringify(after) !== JSON.stringify(before)) {
          say(`tree changed: ${JSON.stringify(diff(before, after))}`);
        }
      }
      expect(failures).toEqual([]);
    },
  );
});

function diff(a: Record<string, string>, b: Record<string, string>): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => a[k] !== b[k]).map((k) => `${k}: ${a[k]} -> ${b[k]}`);
}
