import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isPixlockError } from '../errors.js';
import { emptyLock, type LockEntry, type PendingTask } from '../lock/lockfile.js';
import { replayJournal } from './replay-journal.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

const h = (c: string) => c.repeat(64);
const task = (over: Partial<PendingTask> = {}): PendingTask => ({
  generation: h('a'),
  provider: 'kinovi',
  seed: 1,
  credits: 15,
  createdAt: '2026-11-25T10:00:00.000Z',
  ...over,
});
const entry: LockEntry = {
  generation: h('a'),
  provider: 'kinovi',
  model: 'm',
  seed: 1,
  taskId: 't1',
  credits: 15,
  generatedAt: '2026-11-25T10:01:00.000Z',
  original: { sha256: h('1'), mediaType: 'image/png', bytes: 1, width: 1, height: 1 },
  output: {
    hash: h('2'),
    files: [{ path: 'out/a.webp', sha256: h('3'), width: 1, height: 1, bytes: 1 }],
  },
};

async function journal(lines: unknown[]): Promise<string> {
  dir ??= await mkdtemp(path.join(tmpdir(), 'pixlock-replay-'));
  const file = path.join(dir, 'journal.jsonl');
  await writeFile(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return file;
}

describe('replayJournal with variants', () => {
  it('keeps one pending task per candidate, and drops them all when the image is recorded', async () => {
    const file = await journal([
      { pending: 'a', task: task({ taskId: 't1' }) },
      { pending: 'a#2', task: task({ taskId: 't2', candidate: 2 }) },
      { sent: 'a#3', record: task({ candidate: 3 }) },
    ]);
    const lock = emptyLock();
    expect(await replayJournal(lock, [file], 'out')).toEqual({ changes: 2, unsettled: 1 });
    expect(Object.keys(lock.pending).sort()).toEqual(['a', 'a#2', 'a#3']);
    expect(lock.pending['a#3']).toEqual({ ...task({ candidate: 3 }) });

    const done = await journal([
      { pending: 'a', task: task({ taskId: 't1' }) },
      { pending: 'a#2', task: task({ taskId: 't2', candidate: 2 }) },
      { image: 'a', entry },
    ]);
    const after = emptyLock();
    await replayJournal(after, [done], 'out');
    expect(after.pending).toEqual({});
    expect(after.images.a).toEqual(entry);
  });

  it.each([
    [{ pending: 'a#9', task: task({ taskId: 't', candidate: 9 }) }, /n from 2 to 8/],
    [{ pending: 'a#2', task: task({ taskId: 't' }) }, /does not match its candidate 1/],
    [{ sent: 'a#3', record: task({ candidate: 2 }) }, /does not match its candidate 2/],
    [{ pending: '../x#2', task: task({ taskId: 't', candidate: 2 }) }, /escape outDir/],
    [{ image: 'a#2', entry }, /is not an image id/],
  ])('refuses a hostile candidate line %#', async (line, message) => {
    const file = await journal([line]);
    let error: unknown;
    try {
      await replayJournal(emptyLock(), [file], 'out');
    } catch (e) {
      error = e;
    }
    expect(isPixlockError(error, 'LOCK_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/journal\.jsonl:1: /);
  });
});
