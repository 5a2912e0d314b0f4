import { execFileSync } from 'node:child_process';
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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import type { Terminal } from '../src/output/terminal.js';

// Each folder pixlock reads and writes in, committed as a link to a folder outside the
// project (a canary holding bait: journals, originals, outputs, an earlier review with its
// marker), through every command, in this process: each exits non-zero, and the canary and
// the project are byte for byte what they were (sha256 listings, links not followed).

const MANIFEST = `version: 1
provider: { name: placeholder, model: nanobanana2 }
outDir: generated
defaults: { resolution: 1k, aspectRatio: "1:1", output: { format: webp, width: 32 } }
images:
  hero: { prompt: a hero, seed: 1, variants: 2 }
  team/ada: { prompt: ada, seed: 2 }
  logo: { prompt: a logo, seed: 3 }
`;

/**
 * Where the link goes, relative to the project; whether `init --force` has it on its way
 * (.pixlock/ and the starter's outDir: it writes nothing elsewhere, and rightly succeeds with
 * a link only below outDir); `only`: the one command that uses that folder (review's --out).
 */
const LINKS: { at: string; init: boolean; only?: string[] }[] = [
  { at: '.pixlock', init: true },
  { at: '.pixlock/tmp', init: true },
  { at: '.pixlock/originals', init: true },
  { at: 'generated', init: true },
  { at: 'generated/team', init: false },
  { at: '.pixlock/review', init: true },
  { at: 'docs', init: false, only: ['review', '--out', 'docs/review'] },
];

const COMMANDS: string[][] = [
  ['init'],
  ['validate'],
  ['plan'],
  ['generate'],
  ['generate', '--frozen'],
  ['check'],
  ['prune'],
  ['review'],
  ['pick', 'hero', '2'],
];

function terminal(cwd: string) {
  const lines: string[] = [];
  const term: Terminal = {
    out: (l) => lines.push(l),
    err: (l) => lines.push(l),
    isTTY: false,
    cwd,
    env: process.env,
  };
  return { term, lines };
}

async function pixlock(cwd: string, args: string[]) {
  const { term, lines } = terminal(cwd);
  const code = await runCli(args, term);
  return { code, out: lines.join('\n') };
}

/** Every entry below `dir`, links not followed: files by sha256, links by target. */
async function listing(dir: string): Promise<Record<string, string>> {
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

function changed(a: Record<string, string>, b: Record<string, string>): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => a[k] !== b[k]);
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {
    cwd,
    stdio: 'pipe',
  });

let work: string;
let template: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'pixlock-linked-'));
  template = path.join(work, 'template');
  await mkdir(template);
  await writeFile(path.join(template, 'pixlock.yaml'), MANIFEST);
  const made = await pixlock(template, ['generate']);
  expect(made.code, made.out).toBe(0);
  await pixlock(template, ['review']);
  git(template, 'init', '-q');
  git(template, 'add', '-A');
  git(template, 'commit', '-qm', 'images');
}, 60_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/**
 * A copy of the project with `at` a link to a canary outside it. The canary holds what was
 * there (or a folder of bait) plus files pixlock would write, rename or delete through the
 * link: journals, a review with its marker.
 */
async function linkedCopy(name: string, at: string) {
  const root = path.join(work, name);
  const project = path.join(root, 'project');
  const canary = path.join(root, 'canary');
  await cp(template, project, { recursive: true, verbatimSymlinks: true });
  const target = path.join(project, at);
  await rm(canary, { recursive: true, force: true });
  try {
    await cp(target, canary, { recursive: true });
  } catch {
    await mkdir(canary, { recursive: true });
  }
  for (const bait of ['journal.jsonl', 'journal.jsonl.old', 'creating.jsonl', 'x.out'])
    await writeFile(path.join(canary, bait), `bait ${bait}\n`);
  await mkdir(path.join(canary, 'review'), { recursive: true });
  await writeFile(path.join(canary, 'review', '.pixlock-review'), 'marker\n');
  await writeFile(path.join(canary, 'review', 'index.html'), 'precious\n');
  await writeFile(path.join(canary, '.pixlock-review'), 'marker\n');
  await rm(target, { recursive: true, force: true });
  await mkdir(path.dirname(target), { recursive: true });
  await symlink(canary, target);
  // The link is committed: a checkout of a hostile pull request.
  git(project, 'add', '-A');
  git(project, 'commit', '-qm', `link ${at}`);
  // And one image changed: generate, --frozen included, and pick would write its outputs.
  const manifest = path.join(project, 'pixlock.yaml');
  await writeFile(
    manifest,
    (await readFile(manifest, 'utf8')).replace(
      'logo: { prompt: a logo, seed: 3 }',
      'logo: { prompt: a logo, seed: 3, output: { format: webp, width: 48 } }',
    ),
  );
  return { project, canary };
}

describe('a folder of pixlock committed as a link to a folder outside the project', () => {
  for (const link of LINKS) {
    it(`${link.at}: every command exits non-zero and touches nothing, outside or inside`, async () => {
      const { project, canary } = await linkedCopy(link.at.replace(/\W/g, '_'), link.at);
      const failures: string[] = [];
      const commands = link.only
        ? [link.only]
        : [...COMMANDS, ...(link.init ? [['init', '--force']] : [])];
      for (const args of commands) {
        const canaryBefore = await listing(canary);
        const projectBefore = await listing(project);
        const run = await pixlock(project, args);
        const say = (what: string) => failures.push(`${args.join(' ')}: ${what}\n${run.out}`);
        if (run.code === 0) say('exit 0');
        // init without --force stops at the manifest that exists; everything else at the link,
        // named: PATH_UNSAFE, or (outDir itself leading outside) the manifest's outDir line.
        const named =
          /error PATH_UNSAFE: /.test(run.out) ||
          /error MANIFEST_INVALID: [^]*pixlock\.yaml:\d+:\d+: outDir "generated" leads outside/.test(
            run.out,
          );
        if (args.join(' ') !== 'init' && !(named && run.out.includes(link.at)))
          say('no error naming the link');
        if (JSON.stringify(await listing(canary)) !== JSON.stringify(canaryBefore))
          say('the canary outside changed');
        const projectAfter = await listing(project);
        if (JSON.stringify(projectAfter) !== JSON.stringify(projectBefore))
          say(`the project changed: ${changed(projectBefore, projectAfter).join(', ')}`);
      }
      expect(failures).toEqual([]);
    }, 60_000);
  }
});

describe('a failed command writes nothing, caches included', () => {
  it('a damaged lock beside an edited manifest: every command exits 2, the tree as it was', async () => {
    const project = path.join(work, 'damaged', 'project');
    await cp(template, project, { recursive: true, verbatimSymlinks: true });
    // An edited manifest is cached anew by a command that succeeds; this one must not.
    await writeFile(path.join(project, 'pixlock.yaml'), MANIFEST.replace('a hero', 'a new hero'));
    const lock = path.join(project, 'pixlock.lock');
    await writeFile(
      lock,
      (await readFile(lock, 'utf8')).replace(/sha256: [0-9a-f]{64}/, 'sha256: nope'),
    );
    const failures: string[] = [];
    for (const args of [
      ['validate'],
      ['plan'],
      ['check'],
      ['prune'],
      ['generate', '--dry-run'],
      ['generate'],
      ['pick', 'hero', '2'],
    ]) {
      const before = await listing(project);
      const run = await pixlock(project, args);
      if (run.code !== 2 || !run.out.includes('LOCK_INVALID'))
        failures.push(`${args.join(' ')}: exit ${run.code}\n${run.out}`);
      const after = await listing(project);
      if (JSON.stringify(after) !== JSON.stringify(before))
        failures.push(`${args.join(' ')}: wrote ${changed(before, after).join(', ')}`);
    }
    expect(failures).toEqual([]);
  });

  it.each([
    ['a link', (p: string) => symlink(path.join(work, 'template'), p)],
    ['a file', (p: string) => writeFile(p, 'committed\n')],
    [
      'a folder with files',
      async (p: string) => {
        await mkdir(p);
        await writeFile(path.join(p, 'keep'), 'committed\n');
      },
    ],
  ])('a .pixlock-run.lock that is %s: said plainly, and left as it is', async (what, make) => {
    const project = path.join(work, `mutex-${what.replace(/\W/g, '_')}`, 'project');
    await cp(template, project, { recursive: true, verbatimSymlinks: true });
    await writeFile(path.join(project, 'pixlock.yaml'), MANIFEST.replace('a logo', 'a new logo'));
    await make(path.join(project, '.pixlock-run.lock'));
    const before = await listing(project);
    const run = await pixlock(project, ['generate']);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(
      /error PATH_UNSAFE: .*\.pixlock-run\.lock is .*not pixlock's run mutex/,
    );
    expect(run.out).toMatch(/Remove it/);
    expect(run.out).not.toMatch(/UNKNOWN/);
    expect(await listing(project)).toEqual(before);
  });
});
