import { execFile, execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A pull request can commit a symlink wherever pixlock reads a file (git stores links, not
// FIFOs, but a link can lead to one, or to /dev/zero, or to a secret outside the repository).
// None of them may hang pixlock, flood its memory or have it read outside: each run below is a
// real process (a hang must not take the test runner with it), killed after 20 s, which a hang
// or a 512 MB read would reach: it then has no exit code and fails.

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
let base: string;
let fifo: string;

function pixlock(cwd: string, args: string[]) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, env: { ...process.env, CI: '1' }, timeout: 20_000, killSignal: 'SIGKILL' },
      (error, stdout, stderr) =>
        resolve({
          code: error ? ((error as { code?: number }).code ?? null) : 0,
          out: stdout + stderr,
        }),
    );
  });
}

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'pixlock-linked-'));
  await writeFile(
    path.join(base, 'pixlock.yaml'),
    'version: 1\nprovider: { name: placeholder }\ndefaults: { output: { format: webp, widths: [32] } }\nimages:\n  a: { prompt: "A" }\n',
  );
  expect((await pixlock(base, ['generate'])).code).toBe(0);
  fifo = path.join(base, '..', `${path.basename(base)}.fifo`);
  execFileSync('mkfifo', [fifo]);
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
  await rm(fifo, { force: true });
});

/** A copy of the generated project with `file` replaced by a link to `target`. */
async function linked(file: string, target: string) {
  const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-linked-case-'));
  await cp(base, dir, { recursive: true });
  await rm(path.join(dir, file), { force: true });
  await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
  await symlink(target, path.join(dir, file));
  return dir;
}

describe('a file pixlock reads, committed as a link', () => {
  // Side by side: each case is a process of its own.
  it.concurrent.for([
    ['pixlock.lock', '/dev/zero', 2, /LOCK_INVALID: the lock .* is a symbolic link/],
    ['pixlock.lock', 'FIFO', 2, /LOCK_INVALID: the lock .* is a symbolic link/],
    ['pixlock.yaml', '/dev/zero', 2, /MANIFEST_INVALID[\s\S]*leading outside the repository/],
    ['pixlock.yaml', 'FIFO', 2, /MANIFEST_INVALID[\s\S]*leading outside the repository/],
    ['.pixlock/journal.jsonl', '/dev/zero', 2, /LOCK_INVALID: pixlock's journal .* symbolic link/],
    ['.pixlock/journal.jsonl', 'FIFO', 2, /LOCK_INVALID: pixlock's journal .* symbolic link/],
    ['.pixlock/cache/up-to-date.json', 'FIFO', 0, /ok: the 1 image is/],
    ['.pixlock/cache/plan.json', '/dev/zero', 0, /ok: the 1 image is/],
    ['.pixlock/cache/manifest.json', 'FIFO', 0, /ok: the 1 image is/],
    ['.pixlock/cache/parsed-lock.json', '/dev/zero', 0, /ok: the 1 image is/],
    ['.pixlock/cache/hashes.json', 'FIFO', 0, /ok: the 1 image is/],
    ['.pixlock/cache/checked-lock', '/dev/zero', 0, /ok: the 1 image is/],
  ] as const)(
    '%s linked to %s: check exits %i, without hanging',
    async ([file, target, code, message], { expect }) => {
      const dir = await linked(file, target === 'FIFO' ? fifo : target);
      try {
        const run = await pixlock(dir, ['check']);
        expect(run.out).toMatch(message);
        expect(run.code).toBe(code);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );

  it('a manifest linked inside the repository is read as before', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-linked-case-'));
    try {
      await cp(base, dir, { recursive: true });
      await cp(path.join(dir, 'pixlock.yaml'), path.join(dir, 'real.yaml'));
      await rm(path.join(dir, 'pixlock.yaml'));
      await symlink('real.yaml', path.join(dir, 'pixlock.yaml'));
      const run = await pixlock(dir, ['check']);
      expect(run.out).toMatch(/ok: the 1 image is/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
