import { writeSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyLock, type PendingTask } from '../lock/lockfile.js';
import { LockJournal, type JournalIo } from './lock-journal.js';
import { replayJournal } from './replay-journal.js';
import { SpaceReserve } from '../disk/space-reserve.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

const task = (taskId?: string): PendingTask => ({
  ...(taskId !== undefined && { taskId }),
  generation: 'a'.repeat(64),
  provider: 'kinovi',
  seed: 1,
  credits: 15,
  createdAt: '2026-01-01T00:00:00.000Z',
});

const enospc = () =>
  Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

/**
 * A disk that takes at most `chunk` bytes a write (a short write, as a full tmpfs does at a
 * page's end) and `room` bytes in all, then answers ENOSPC; `room` can be raised, as when
 * space is freed.
 */
function disk(options: { chunk?: number; room?: number } = {}) {
  const state = {
    room: options.room ?? Infinity,
    calls: 0,
    free: undefined as number | undefined,
  };
  const io: JournalIo = {
    write(fd, buffer, offset, length) {
      state.calls++;
      if (state.room <= 0) throw enospc();
      const n = Math.min(length, options.chunk ?? length, state.room);
      state.room -= n;
      return writeSync(fd, buffer, offset, n);
    },
    datasync: (_fd, callback) => callback(null),
    freeBytes: () => state.free,
  };
  return { io, state };
}

/** A journal in a fresh project; with `reserveBytes`, a real reserve that gives `state` its room back. */
async function setup(io: JournalIo, reserveBytes?: number, state?: { room: number }) {
  dir = await mkdtemp(path.join(tmpdir(), 'pixlock-journal-io-'));
  const file = path.join(dir, '.pixlock', 'journal.jsonl');
  let reserve: SpaceReserve | undefined;
  if (reserveBytes !== undefined) {
    await mkdir(path.join(dir, '.pixlock', 'tmp'), { recursive: true });
    reserve = await SpaceReserve.create(path.join(dir, '.pixlock', 'tmp', 'reserve'), reserveBytes);
  }
  const freed = reserve && {
    release: () => {
      const released = reserve.release();
      if (released && state) state.room += reserve.bytes;
      return released;
    },
  };
  const journal = new LockJournal(file, { io, ...(freed && { reserve: freed }) });
  return { file, journal, reserve };
}

/** The lock the journal rebuilds, and every line parsed (a torn line fails the test). */
async function replayed(file: string) {
  const text = await readFile(file, 'utf8');
  for (const line of text.split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
  expect(text === '' || text.endsWith('\n')).toBe(true);
  const lock = emptyLock();
  const result = await replayJournal(lock, [file]);
  return { lock, result, text };
}

describe('the lock journal on a disk that takes part of a write, or nothing', () => {
  it('loops over short writes: every line lands whole', async () => {
    const { io, state } = disk({ chunk: 7 });
    const { file, journal } = await setup(io);
    journal.sent('a', task());
    expect(await journal.record({ pending: 'a', task: task('t-a') })).toBe(true);
    journal.settled('a');
    expect(await journal.record({ pending: 'b', task: task('t-b') })).toBe(true);
    expect(state.calls).toBeGreaterThan(40);
    const { lock, result } = await replayed(file);
    expect(lock.pending).toMatchObject({ a: { taskId: 't-a' }, b: { taskId: 't-b' } });
    expect(result.unsettled).toBe(0);
  });

  it('cuts a line the disk took only part of back off, and rejects it as DISK_FULL', async () => {
    const { io, state } = disk({ chunk: 50 });
    const { file, journal } = await setup(io);
    expect(await journal.record({ pending: 'a', task: task('t-a') })).toBe(true);
    const before = await readFile(file, 'utf8');
    state.room = 120; // part of the next line fits, then ENOSPC
    await expect(journal.record({ pending: 'b', task: task('t-b') })).rejects.toMatchObject({
      code: 'DISK_FULL',
      message: expect.stringContaining(file),
    });
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(journal.fault?.code).toBe('DISK_FULL');
    // Space freed: the next line starts on a line of its own, and the journal replays.
    state.room = Infinity;
    expect(await journal.record({ pending: 'c', task: task('t-c') })).toBe(true);
    const { lock } = await replayed(file);
    expect(Object.keys(lock.pending).sort()).toEqual(['a', 'c']);
  });

  it('gives the reserve back for a paid task id that does not fit, and writes it whole', async () => {
    const { io, state } = disk();
    const { file, journal, reserve } = await setup(io, 4096, state);
    journal.sent('a', task());
    state.room = 0;
    expect(await journal.record({ pending: 'a', task: task('t-a') })).toBe(true);
    expect(reserve!.intact).toBe(false);
    expect(await readdir(path.join(dir!, '.pixlock', 'tmp'))).toEqual([]);
    // The disk is known full: no create may start.
    expect(journal.fault?.code).toBe('DISK_FULL');
    const { lock } = await replayed(file);
    expect(lock.pending.a?.taskId).toBe('t-a');
  });

  it('never notes a create it could not write, so the caller sends none', async () => {
    const { io, state } = disk({ chunk: 10 });
    const { file, journal } = await setup(io, 4096);
    expect(await journal.record({ pending: 'a', task: task('t-a') })).toBe(true);
    state.room = 25;
    expect(() => journal.sent('b', task())).toThrow(expect.objectContaining({ code: 'DISK_FULL' }));
    state.room = Infinity;
    // Not open: nothing holds image b in the next run, and the file ends with a whole line.
    journal.close();
    const { lock, result } = await replayed(file);
    expect(result.unsettled).toBe(0);
    expect(Object.keys(lock.pending)).toEqual(['a']);
  });

  it('notes no create (so none is sent) while the disk has less free than a task needs', async () => {
    const { io, state } = disk();
    const { file, journal } = await setup(io);
    journal.sent('a', task());
    state.free = 1000;
    expect(() => journal.sent('b', task())).toThrow(
      expect.objectContaining({
        code: 'DISK_FULL',
        message: expect.stringMatching(/only 1000 bytes/),
      }),
    );
    expect(journal.fault?.code).toBe('DISK_FULL');
    expect((await readFile(file, 'utf8')).split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('never throws from settled: a settled line that fits nowhere leaves the create open', async () => {
    const { io, state } = disk();
    const { file, journal } = await setup(io);
    journal.sent('a', task());
    state.room = 0;
    expect(() => journal.settled('a')).not.toThrow();
    expect(journal.fault?.code).toBe('DISK_FULL');
    state.room = Infinity;
    journal.close();
    // The next run holds image a rather than pay for it again.
    const { result } = await replayed(file);
    expect(result.unsettled).toBe(1);
  });

  it('rejects a change whose sync failed (EIO) as DISK_ERROR', async () => {
    const io: JournalIo = {
      write: (fd, b, o, l) => writeSync(fd, b, o, l),
      datasync: (_fd, callback) => callback(Object.assign(new Error('EIO'), { code: 'EIO' })),
      freeBytes: () => undefined,
    };
    const { journal } = await setup(io);
    await expect(journal.record({ pending: 'a', task: task('t-a') })).rejects.toMatchObject({
      code: 'DISK_ERROR',
    });
  });
});

describe('the lock journal and links', () => {
  it('writes, moves and removes nothing through a .pixlock that is a link', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'pixlock-journal-link-'));
    const outside = path.join(dir, 'outside');
    const project = path.join(dir, 'project');
    await mkdir(outside);
    await mkdir(project);
    await writeFile(path.join(outside, 'journal.jsonl'), 'keep\n');
    await symlink(outside, path.join(project, '.pixlock'));
    const journal = new LockJournal(path.join(project, '.pixlock', 'journal.jsonl'));
    await expect(journal.record({ pending: 'a', task: task('t-a') })).rejects.toMatchObject({
      code: 'PATH_UNSAFE',
    });
    expect(() => journal.close()).toThrow(expect.objectContaining({ code: 'PATH_UNSAFE' }));
    expect(await readdir(outside)).toEqual(['journal.jsonl']);
    expect(await readFile(path.join(outside, 'journal.jsonl'), 'utf8')).toBe('keep\n');
  });
});
