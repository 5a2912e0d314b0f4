import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LockJournal } from '../journal/lock-journal.js';
import { replayJournal } from '../journal/replay-journal.js';
import { emptyLock, type LockEntry } from '../lock/lockfile.js';
import { parseLock } from '../lock/parse-lock.js';
import { serializeLock } from '../lock/serialize-lock.js';
import { LockWriter } from './lock-writer.js';

const task = (taskId: string) => ({
  taskId,
  generation: 'a'.repeat(64),
  provider: 'kinovi',
  seed: 1,
  credits: 15,
  createdAt: 'now',
});

const image = (seed: number): LockEntry => ({
  generation: 'a'.repeat(64),
  provider: 'placeholder',
  model: 'm',
  seed,
  taskId: `t${seed}`,
  credits: 0,
  generatedAt: '2026-11-25T10:00:00.000Z',
  original: { sha256: 'b'.repeat(64), mediaType: 'image/png', bytes: 1, width: 1, height: 1 },
  output: { hash: 'c'.repeat(64), files: [] },
});

/** A lock write that finishes (or fails) only when the test says so. */
function gatedWrites() {
  const writes: string[] = [];
  const gates: { resolve: () => void; reject: (e: Error) => void }[] = [];
  const write = (text: string) =>
    new Promise<void>((resolve, reject) =>
      gates.push({
        resolve: () => {
          writes.push(text);
          resolve();
        },
        reject,
      }),
    );
  return { writes, gates, write };
}

/** Lets every settled promise's callbacks run. */
const settle = () => new Promise((r) => setImmediate(r));

describe('LockWriter without a journal', () => {
  it('folds a burst of changes into few writes, each caller resolving once its change is on disk', async () => {
    const { writes, gates, write } = gatedWrites();
    const writer = new LockWriter(emptyLock(), write);
    let done = 0;
    const all = Array.from({ length: 20 }, (_, i) =>
      writer.setPending(`img-${i}`, task(`t${i}`)).then(() => done++),
    );
    await settle();
    // The first change started a write; the other 19 wait for the next one.
    expect(gates).toHaveLength(1);
    gates[0]!.resolve();
    await settle();
    expect(done).toBe(1);
    expect(gates).toHaveLength(2);
    gates[1]!.resolve();
    await Promise.all(all);
    expect(writes).toHaveLength(2);
    expect(Object.keys(parseLock(writes.at(-1)!, 'x').pending)).toHaveLength(20);
  });

  it('reports a failed write to its caller only, and the next change writes everything', async () => {
    const { writes, gates, write } = gatedWrites();
    const writer = new LockWriter(emptyLock(), write);
    // Alone: the caller gets the error (and nothing else rejects unhandled).
    const alone = writer.setPending('a', task('t0'));
    await settle();
    gates[0]!.reject(new Error('disk full'));
    await expect(alone).rejects.toThrow('disk full');
    // One waits on the failing write while it is in flight: it must not see the failure.
    const first = writer.setPending('a', task('t1'));
    const second = writer.setPending('b', task('t2'));
    await settle();
    gates[1]!.reject(new Error('disk full'));
    await expect(first).rejects.toThrow('disk full');
    await settle();
    gates[2]!.resolve();
    await second;
    await writer.flush();
    expect(Object.keys(parseLock(writes.at(-1)!, 'x').pending)).toEqual(['a', 'b']);
  });
});

describe('LockWriter with a journal', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const setup = async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'pixlock-journal-'));
    const file = path.join(dir, '.pixlock', 'journal.jsonl');
    const journal = new LockJournal(file);
    const writes: string[] = [];
    const writer = new LockWriter(emptyLock(), async (text) => void writes.push(text), journal);
    return { file, journal, writes, writer };
  };

  it('appends one line per change, writes the lock once at the end, and leaves no journal', async () => {
    const { file, journal, writes, writer } = await setup();
    for (let i = 0; i < 50; i++) {
      await writer.setPending(`img-${i}`, task(`t${i}`));
      await writer.setImage(`img-${i}`, image(i));
    }
    expect(writes).toHaveLength(0);
    expect((await readFile(file, 'utf8')).split('\n')).toHaveLength(101);
    await writer.flush();
    journal.close();
    expect(writes).toHaveLength(1);
    const lock = parseLock(writes[0]!, 'x');
    expect(Object.keys(lock.images)).toHaveLength(50);
    expect(lock.pending).toEqual({});
    await expect(readFile(file)).rejects.toThrow();
  });

  it('leaves, when the run dies, a journal that rebuilds the same lock over the old one', async () => {
    const { file, journal, writer } = await setup();
    const before = emptyLock();
    before.images.gone = image(99);
    const start = serializeLock(before);
    Object.assign(writer.current.images, structuredClone(before.images));
    await writer.setPending('a', task('t1'));
    await writer.setImage('b', image(2));
    await writer.removeImage('gone');
    journal.sent('c', { ...task('x'), taskId: undefined });
    // "Killed" here: nothing flushed. The next run reads the old lock and replays.
    const replayed = parseLock(start, 'x');
    const result = await replayJournal(replayed, [file]);
    expect(result).toEqual({ changes: 3, unsettled: 1 });
    expect(Object.keys(replayed.images)).toEqual(['b']);
    expect(replayed.pending.a?.taskId).toBe('t1');
    expect(replayed.pending.c).not.toHaveProperty('taskId');
    // Replaying twice (a run that died just after writing the lock) changes nothing.
    const again = structuredClone(replayed);
    await replayJournal(again, [file]);
    expect(again).toEqual(replayed);
  });

  it('writes the whole lock at once when its journal is deleted mid-run (.pixlock/ removed)', async () => {
    const { file, writes, writer } = await setup();
    await writer.setPending('a', task('t1'));
    await rm(path.dirname(file), { recursive: true });
    await writer.setImage('a', image(1));
    // The change was acknowledged only after the lock holding it was written.
    expect(writes).toHaveLength(1);
    expect(parseLock(writes[0]!, 'x').images.a?.seed).toBe(1);
    await writer.setPending('b', task('t2'));
    expect(await readFile(file, 'utf8')).toMatch(/^\{"pending":"b"/);
  });

  it('never fails a change whose sync a compaction cut short: it waits for the lock instead', async () => {
    // The race behind "EBADF: bad file descriptor, fdatasync" under load: a change's sync in
    // flight while a compaction (here, the journal deleted mid-run) closes the descriptor.
    for (let round = 0; round < 50; round++) {
      const { file, writes, writer } = await setup();
      await writer.setPending('a', task('t1'));
      await rm(path.dirname(file), { recursive: true });
      const changes = Array.from({ length: 8 }, (_, i) => writer.setImage(`i-${i}`, image(i)));
      await expect(Promise.all(changes)).resolves.toBeDefined();
      await writer.flush();
      const last = parseLock(writes.at(-1)!, 'x');
      expect(Object.keys(last.images)).toHaveLength(8);
      await rm(dir!, { recursive: true, force: true });
    }
  });
});
