import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyLock, type LockEntry, type PendingTask } from '../lock/lockfile.js';
import { clearJournal, createJournal, foldJournal, readJournal } from './create-journal.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

const record = (createdAt: string): PendingTask => ({
  generation: 'g'.repeat(64),
  provider: 'kinovi',
  seed: 1,
  credits: 15,
  createdAt,
});

describe('the create journal', () => {
  it('keeps what was sent and never settled, in order, and ignores a torn last line', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'pixlock-journal-'));
    const file = path.join(dir, '.pixlock', 'creating.jsonl');
    const journal = createJournal(file);
    journal.sent('a', record('t1'));
    journal.sent('b', record('t1'));
    journal.settled('a');
    journal.sent('a', record('t2')); // refused (429), then sent again
    journal.sent('c', record('t3'));
    journal.settled('c');
    await appendFile(file, '{"sent":"d","rec');
    expect(await readFile(file, 'utf8')).toMatch(/^\{"sent":"a"/);
    const open = await readJournal(file);
    expect([...open.keys()].sort()).toEqual(['a', 'b']);
    expect(open.get('a')?.createdAt).toBe('t2');

    await clearJournal(dir, file);
    expect((await readJournal(file)).size).toBe(0);
  });

  it('folds into the lock as unconfirmed unless the lock already shows the outcome', () => {
    const lock = emptyLock();
    // Recorded with its task id, then killed before settling the line: nothing to hold.
    lock.pending.recorded = { ...record('t5'), taskId: 'task_1' };
    // An older task for another version of the image: the new create supersedes it.
    lock.pending.stale = { ...record('t1'), taskId: 'task_0' };
    // Finished after the create was sent.
    lock.images.done = { generatedAt: 't9' } as LockEntry;
    const open = new Map([
      ['recorded', record('t5')],
      ['stale', record('t4')],
      ['done', record('t8')],
      ['lost', record('t7')],
    ]);
    expect(foldJournal(lock, open)).toBe(2);
    expect(lock.pending.recorded?.taskId).toBe('task_1');
    expect(lock.pending.stale).toEqual(record('t4'));
    expect(lock.pending.lost).toEqual(record('t7'));
    expect(lock.pending).not.toHaveProperty('done');
  });
});
