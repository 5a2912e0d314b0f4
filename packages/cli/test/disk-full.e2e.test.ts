import { execFileSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  ftruncateSync,
  fstatSync,
  openSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseLock } from '@pixlock/core';
import { startFakeKinovi, type FakeKinovi } from '@pixlock/fake-kinovi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import type { Terminal } from '../src/output/terminal.js';

// generate on a real full disk: a small tmpfs (mounted here, as root) filled to the last byte
// at 20 moments of a run, against the fake kinovi server over real HTTP, with the CLI in this
// process. Each trial: the run stops with a disk error (exit 74, one line naming the file),
// the space is freed, and the next run (with any --resume the first printed) delivers every
// image, each created exactly once, leaving no file outside .pixlock/ and the outputs.

const IMAGES = 5;
let mnt: string | undefined;
let skipReason: string | undefined;

beforeAll(async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-disk-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=600k', 'tmpfs', dir], { stdio: 'pipe' });
    mnt = dir;
  } catch (error) {
    skipReason = `cannot mount a tmpfs here (${String((error as Error).message).split('\n')[0]})`;
    await rm(dir, { recursive: true, force: true });
  }
});

afterAll(async () => {
  if (!mnt) return;
  // Lazily if a run that never ended still holds a file there.
  try {
    execFileSync('umount', [mnt], { stdio: 'pipe' });
  } catch {
    execFileSync('umount', ['-l', mnt], { stdio: 'pipe' });
  }
  await rm(mnt, { recursive: true, force: true });
});

/** A moment of the run: the `n`th request of a kind (0 = before the run), and what is left free. */
interface Moment {
  on: 'start' | 'create' | 'poll' | 'download';
  n: number;
  /** Bytes left free after filling (tmpfs counts whole 4 KiB pages). */
  leave: number;
}

const KB = 1024;
const MOMENTS: Moment[] = [
  { on: 'start', n: 0, leave: 0 },
  { on: 'start', n: 0, leave: 100 * KB },
  { on: 'create', n: 1, leave: 0 },
  { on: 'create', n: 2, leave: 0 },
  { on: 'create', n: 3, leave: 0 },
  { on: 'create', n: 4, leave: 0 },
  { on: 'create', n: 5, leave: 0 },
  { on: 'create', n: 2, leave: 8 * KB },
  { on: 'create', n: 4, leave: 4 * KB },
  { on: 'poll', n: 1, leave: 0 },
  { on: 'poll', n: 4, leave: 0 },
  { on: 'poll', n: 8, leave: 4 * KB },
  { on: 'download', n: 1, leave: 0 },
  { on: 'download', n: 2, leave: 0 },
  { on: 'download', n: 3, leave: 0 },
  { on: 'download', n: 4, leave: 0 },
  { on: 'download', n: 5, leave: 0 },
  { on: 'download', n: 2, leave: 24 * KB },
  { on: 'download', n: 4, leave: 28 * KB },
  { on: 'download', n: 5, leave: 20 * KB },
];

const FILLER = 'filler';

/** Writes a file on the tmpfs until the disk refuses, then gives `leave` bytes back. */
function fill(root: string, leave: number): void {
  const fd = openSync(path.join(root, FILLER), 'a');
  try {
    for (const size of [64 * KB, 4 * KB, 256, 1]) {
      const chunk = Buffer.alloc(size, 0x5a);
      try {
        while (writeSync(fd, chunk) === size);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      }
    }
    if (leave > 0) ftruncateSync(fd, Math.max(0, fstatSync(fd).size - leave));
  } finally {
    closeSync(fd);
  }
}

function manifest(trial: number): string {
  const images = Array.from(
    { length: IMAGES },
    (_, i) => `  img-${i}: { prompt: trial ${trial} picture ${i}, seed: ${i} }\n`,
  );
  return `version: 1
provider: { name: kinovi, model: nanobanana2, pollInterval: 10, timeout: 20000 }
outDir: generated
concurrency: 2
defaults: { resolution: 1k, aspectRatio: "1:1", output: { format: webp, width: 32 } }
images:
${images.join('')}`;
}

function terminal(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const term: Terminal = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    isTTY: false,
    cwd,
    env: process.env,
  };
  return { term, out, err };
}

/** Runs the CLI in this process; a run still going after `ms` is stopped as by Ctrl-C and said to hang. */
async function pixlock(cwd: string, args: string[], ms = 15_000) {
  const { term, out, err } = terminal(cwd);
  const stop = new AbortController();
  let hung = false;
  const timer = setTimeout(() => {
    hung = true;
    stop.abort(new Error('interrupted'));
  }, ms);
  const code = await runCli(args, term, stop.signal).finally(() => clearTimeout(timer));
  return { code, hung, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** Every file below `dir`, relative, links and folders apart. */
async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => !e.isDirectory())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/** Counts requests by kind on their way out, and fills the disk at the moment's request. */
function armed(moment: Moment, root: string) {
  const seen = { create: 0, poll: 0, download: 0 };
  let createsAfterFill = 0;
  let filled = moment.on === 'start';
  if (filled) fill(root, moment.leave);
  const real = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const kind = url.includes('/jobs/createTask')
      ? 'create'
      : url.includes('/jobs/recordInfo')
        ? 'poll'
        : url.includes('/files/')
          ? 'download'
          : undefined;
    if (kind) seen[kind]++;
    if (kind === 'create' && filled) createsAfterFill++;
    if (!filled && kind === moment.on && seen[kind] === moment.n) {
      filled = true;
      fill(root, moment.leave);
    }
    return real(input, init);
  };
  return {
    seen,
    get filled() {
      return filled;
    },
    /** Creates sent once the disk was full (the one that filled it not counted). */
    get createsAfterFill() {
      return createsAfterFill;
    },
    disarm: () => (globalThis.fetch = real),
  };
}

describe('generate on a full disk (tmpfs), filled at 20 moments of a run', () => {
  let fake: FakeKinovi | undefined;
  const saved = { key: process.env.KINOVI_API_KEY, url: process.env.KINOVI_BASE_URL };
  afterAll(async () => {
    await fake?.close();
    for (const [k, v] of [
      ['KINOVI_API_KEY', saved.key],
      ['KINOVI_BASE_URL', saved.url],
    ] as const)
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  });

  it('stops with one disk line, then the next run delivers every image, each paid once', async (ctx) => {
    if (!mnt) {
      console.warn(`skipped: ${skipReason}`);
      ctx.skip();
      return;
    }
    const root = mnt;
    const failures: string[] = [];
    for (const [trial, moment] of MOMENTS.entries()) {
      const label = `trial ${trial} (${moment.on} ${moment.n}, ${moment.leave / KB} KiB left)`;
      fake = await startFakeKinovi({ queueMs: 0, latencyMs: 25, concurrencyLimit: 50 });
      process.env.KINOVI_API_KEY = 'test-key';
      process.env.KINOVI_BASE_URL = fake.baseUrl;
      const dir = path.join(root, `trial-${trial}`);
      await mkdir(dir);
      await writeFile(path.join(dir, 'pixlock.yaml'), manifest(trial));
      const say = (what: string, run?: { stdout: string; stderr: string }) =>
        failures.push(`${label}: ${what}${run ? `\n${run.stdout}\n${run.stderr}` : ''}`);

      const trigger = armed(moment, root);
      const first = await pixlock(dir, ['generate']).finally(() => trigger.disarm());
      rmSync(path.join(root, FILLER), { force: true });
      if (first.hung) say('the first run did not end on its own', first);
      if (!trigger.filled) say('the disk was never filled (moment not reached)');
      // Seen before paying: the journal will not note a create on a disk that is full.
      if (trigger.createsAfterFill > 0)
        say(`${trigger.createsAfterFill} tasks created on a full disk`);
      if (first.code !== 74) say(`first run exited ${first.code}, expected 74`, first);
      const line = /^error DISK_(FULL|ERROR): [^/\n]*(\/[^\s;)]+)/m.exec(first.stderr);
      if (!line) say('no "error DISK_…" line naming a path on stderr', first);
      else if (!line[2]!.startsWith(root))
        say(`the disk line names ${line[2]}, not a file of the run`);

      // As a user would: free the space, paste any --resume the first run printed.
      const resume = [...first.stderr.matchAll(/--resume (\S+)/g)].map((m) =>
        m[1]!.replace(/^'|'$/g, ''),
      );
      const second = await pixlock(dir, ['generate', ...resume.flatMap((r) => ['--resume', r])]);
      if (second.code !== 0) say(`second run exited ${second.code}`, second);
      const check = await pixlock(dir, ['check']);
      if (check.code !== 0) say(`check exited ${check.code}`, check);

      const paid = Object.values(fake.stats.createsByPrompt);
      if (paid.length !== IMAGES || paid.some((n) => n !== 1))
        say(`creates by prompt ${JSON.stringify(fake.stats.createsByPrompt)}`);
      const lock = parseLock(
        await readFile(path.join(dir, 'pixlock.lock'), 'utf8'),
        'pixlock.lock',
      );
      if (Object.keys(lock.images).length !== IMAGES || Object.keys(lock.pending).length > 0)
        say(
          `lock: ${Object.keys(lock.images).length} images, pending ${JSON.stringify(lock.pending)}`,
        );
      const outputs = Object.values(lock.images).flatMap((e) => e.output.files.map((f) => f.path));
      const stray = (await files(dir)).filter(
        (f) =>
          f !== 'pixlock.yaml' &&
          f !== 'pixlock.lock' &&
          !outputs.includes(f) &&
          !(f.startsWith('.pixlock/') && !f.startsWith('.pixlock/tmp/')),
      );
      if (stray.length > 0) say(`stray files: ${stray.join(', ')}`);
      if (existsSync(path.join(dir, '.pixlock-run.lock'))) say('the run mutex was left behind');

      await fake.close();
      fake = undefined;
      await rm(dir, { recursive: true, force: true });
    }
    expect(failures).toEqual([]);
  }, 60_000);
});
