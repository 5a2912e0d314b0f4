import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPixlockError } from '../errors.js';
import { projectPaths } from '../disk/project-paths.js';
import { readLock } from '../project/read-lock.js';
import { sha256 } from '../util/sha256.js';
import { emptyLock, type LockEntry, type Lockfile } from './lockfile.js';
import { lockCacheKey } from '../project/cache/lock-cache.js';
import { parseLock } from './parse-lock.js';
import { serializeLock } from './serialize-lock.js';

const h = (c: string) => c.repeat(64);

function entry(seed: number): LockEntry {
  return {
    generation: h('a'),
    provider: 'placeholder',
    model: 'nanobanana2',
    seed,
    taskId: `task-${seed}`,
    credits: 15,
    generatedAt: '2026-11-24T10:00:00.000Z',
    original: { sha256: h('1'), mediaType: 'image/png', bytes: 100, width: 1024, height: 768 },
    output: {
      hash: h('2'),
      files: [{ path: 'generated/a.webp', sha256: h('3'), width: 640, height: 480, bytes: 50 }],
    },
  };
}

describe('lockfile', () => {
  it('round-trips, with ids sorted and awkward strings quoted', () => {
    const lock: Lockfile = {
      lockfileVersion: 2,
      images: {
        'z/last': entry(2),
        first: { ...entry(1), taskId: 'yes', generatedAt: 'a: b # c' },
      },
      pending: {
        queued: {
          taskId: '12e34',
          generation: h('b'),
          provider: 'kinovi',
          seed: 9,
          credits: 25,
          createdAt: 'now',
        },
        // A create sent and never answered: no task id.
        sending: {
          generation: h('c'),
          provider: 'kinovi',
          seed: 3,
          credits: 15,
          createdAt: 'then',
        },
      },
    };
    const text = serializeLock(lock);
    expect(parseLock(text, 'pixlock.lock')).toEqual(lock);
    expect(text.indexOf('  first:')).toBeLessThan(text.indexOf('  z/last:'));
    expect(text).toContain('taskId: "yes"');
    expect(text).toContain('taskId: "12e34"');
    expect(parseLock(text, 'pixlock.lock').pending.sending).not.toHaveProperty('taskId');
  });

  it("changes only the changed image's lines when one image changes", () => {
    const images = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [`img-${String(i).padStart(2, '0')}`, entry(i)]),
    );
    const before = serializeLock({ ...emptyLock(), images }).split('\n');
    const after = serializeLock({
      ...emptyLock(),
      images: { ...images, 'img-25': entry(999) },
    }).split('\n');
    expect(after).toHaveLength(before.length);
    const changed = before.filter((line, i) => line !== after[i]);
    expect(changed).toEqual(['    seed: 25', '    taskId: task-25']);
  });

  it('rejects an unknown lockfileVersion with a clear message', () => {
    const error = (() => {
      try {
        parseLock('lockfileVersion: 7\nimages: {}\n', '/p/pixlock.lock');
      } catch (e) {
        return e;
      }
    })();
    expect(isPixlockError(error, 'LOCK_VERSION_UNSUPPORTED')).toBe(true);
    expect((error as Error).message).toBe(
      '/p/pixlock.lock has lockfileVersion 7; this pixlock reads lockfileVersion 1 or 2. It was written by a newer pixlock: upgrade pixlock.',
    );
  });

  it('points at the damaged line of a broken lock, and at merge conflicts', () => {
    const text = serializeLock({ ...emptyLock(), images: { a: entry(1) } }).replace(
      'seed: 1',
      'seed: one',
    );
    expect(() => parseLock(text, 'x.lock')).toThrow(
      /x\.lock:9:11: the lockfile is damaged: Invalid input: expected number/,
    );
    expect(() => parseLock('lockfileVersion: 1\n<<<<<<< HEAD\n', 'x.lock')).toThrow(
      /merge conflict markers/,
    );
  });

  it('checks a lock text once, and checks any changed text in full again', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-lock-'));
    try {
      const paths = projectPaths(path.join(dir, 'pixlock.yaml'));
      const lockFile = paths.lockFile;
      const good = serializeLock({ ...emptyLock(), images: { a: entry(1) } });
      await writeFile(lockFile, good);
      expect((await readLock(paths)).images.a).toEqual(entry(1));
      const cache = path.join(dir, '.pixlock', 'cache');
      expect(await readFile(path.join(cache, '.gitignore'), 'utf8')).toBe('*\n');
      const mark = await readFile(path.join(cache, 'checked-lock'), 'utf8');
      expect(mark).toMatch(/^\d+ \d+:[\d.]+:\d+:[\d.]+ null [0-9a-f]{64}\n$/);
      // Checked: read again from the mark, same result.
      expect((await readLock(paths)).images.a).toEqual(entry(1));

      // An edit (by hand, by a merge) changes the text: the full check runs and names the line.
      await writeFile(lockFile, good.replace('seed: 1', 'seed: one'));
      await expect(readLock(paths)).rejects.toThrow(/pixlock\.lock:9:11: the lockfile is damaged/);
      // The mark is what skips the check: a mark claiming the damaged text skips it.
      const damaged = await readFile(lockFile, 'utf8');
      // A mark that names only the text (as one committed beside a hostile lock would) is
      // not enough: it must name this file's size, mtime and inode too.
      await writeFile(
        path.join(cache, 'checked-lock'),
        `${mark.split(' ')[0]} ${sha256(damaged)}\n`,
      );
      await expect(readLock(paths)).rejects.toThrow(/the lockfile is damaged/);
      const key = await lockCacheKey(lockFile, undefined);
      await writeFile(path.join(cache, 'checked-lock'), `${key} ${sha256(damaged)}\n`);
      expect((await readLock(paths)).images.a!.seed).toBe('one');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('is never left half-written when the writer is killed at any instant', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-atomic-'));
    const file = path.join(dir, 'pixlock.lock');
    // A child rewrites a large lock as fast as it can and says so after each write; we kill -9
    // it right after a varied number of writes (so mid-way through the next one, by events
    // rather than by timers) and check that what is on disk always parses to a whole lock.
    const script = `
      import { localFiles } from ${JSON.stringify(new URL('../project/local-files.ts', import.meta.url).pathname)};
      import { projectPaths } from ${JSON.stringify(new URL('../disk/project-paths.ts', import.meta.url).pathname)};
      import { serializeLock } from ${JSON.stringify(new URL('./serialize-lock.ts', import.meta.url).pathname)};
      const store = localFiles(projectPaths(${JSON.stringify(path.join(dir, 'pixlock.yaml'))})).lock;
      const e = ${JSON.stringify(entry(0))};
      for (let n = 1; ; n++) {
        const images = {};
        for (let i = 0; i < 400 + (n % 7) * 50; i++) images['img-' + i] = { ...e, seed: n };
        await store.writeLock(serializeLock({ lockfileVersion: 2, images, pending: {} }));
        process.stdout.write(n + '\\n');
      }`;
    try {
      const seen = new Set<number>();
      for (let round = 0; round < 8; round++) {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', '--input-type=module', '-e', script],
          { stdio: ['ignore', 'pipe', 'inherit'] },
        );
        let written = 0;
        await new Promise<void>((resolve) =>
          child.stdout.on('data', (chunk: Buffer) => {
            written += chunk.toString().split('\n').length - 1;
            if (written >= round + 1) resolve();
          }),
        );
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
        const lock = parseLock(await readFile(file, 'utf8'), file);
        const seeds = new Set(Object.values(lock.images).map((e) => e.seed));
        expect(seeds.size).toBe(1);
        seen.add([...seeds][0]!);
      }
      expect(seen.size).toBeGreaterThan(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
