import { describe, expect, it } from 'vitest';
import type { CreateJournal } from '../journal/create-journal.js';
import { PixlockError } from '../errors.js';
import { emptyLock } from '../lock/lockfile.js';
import { manifestOf, runWithFakes } from './test-utils/engine-run.js';
import { drive, fakeClock } from './test-utils/fake-clock.js';
import { fakeProvider } from './test-utils/fake-provider.js';
import { memoryStore } from './test-utils/memory-store.js';

const enospc = (what = 'write') =>
  Object.assign(new Error(`ENOSPC: no space left on device, ${what}`), { code: 'ENOSPC' });
const full = () =>
  new PixlockError('DISK_FULL', 'no space left on the disk writing /p/.pixlock/journal.jsonl');

/** A create journal whose `sent` fails from the `failFrom`th note on (0-based), as a full disk. */
function journalFailingFrom(failFrom: number) {
  const notes: string[] = [];
  const journal: CreateJournal = {
    sent(key) {
      if (notes.length >= failFrom) throw full();
      notes.push(key);
    },
    settled() {},
  };
  return { journal, notes };
}

describe('a full disk during a run (fakes: store, clock, provider)', () => {
  it('a create whose note could not be written is not sent, gives its slot back, and stops new creates', async () => {
    // Before: the slot stayed taken, and with every slot lost the run waited forever.
    const clock = fakeClock();
    const store = memoryStore();
    const { provider, calls } = fakeProvider({ store });
    const { journal, notes } = journalFailingFrom(2);
    const manifest = manifestOf(6, { concurrency: 2 });
    const run = await drive(clock, runWithFakes({ manifest, provider, store, clock, journal }));
    expect(calls.create).toBe(2);
    expect(notes).toHaveLength(2);
    expect(run.stoppedBy?.code).toBe('DISK_FULL');
    // The two paid for are finished; the one that met the full disk failed; the rest not created.
    expect(run.counts).toMatchObject({ created: 2, failed: 1, skipped: 3 });
    expect(run.results.find((r) => r.outcome === 'failed')?.error?.code).toBe('DISK_FULL');
  });

  it('a create note that fails for any reason gives the slot back (the run never waits on nothing)', async () => {
    const clock = fakeClock();
    const store = memoryStore();
    const { provider, calls } = fakeProvider({ store });
    const journal: CreateJournal = {
      sent() {
        throw new Error('EACCES: permission denied');
      },
      settled() {},
    };
    const run = await drive(
      clock,
      runWithFakes({
        manifest: manifestOf(4, { concurrency: 1 }),
        provider,
        store,
        clock,
        journal,
      }),
    );
    expect(calls.create).toBe(0);
    expect(run.counts.failed).toBe(4);
  });

  it('an output that meets a full disk fails its image and stops creates; tasks paid for are still polled', async () => {
    const clock = fakeClock();
    const store = memoryStore();
    let writes = 0;
    let createsWhenFull = -1;
    store.writeOutput = async () => {
      if (writes++ > 0) return;
      createsWhenFull = calls.create;
      throw enospc();
    };
    const { provider, calls } = fakeProvider({
      store,
      poll: (_t, n) => (n < 3 ? { state: 'pending' } : undefined!),
    });
    const manifest = manifestOf(8, { concurrency: 3 });
    const lock = emptyLock();
    const run = await drive(clock, runWithFakes({ manifest, provider, store, clock, lock }));
    expect(run.stoppedBy?.code).toBe('DISK_FULL');
    const failed = run.results.filter((r) => r.outcome === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.error?.code).toBe('DISK_FULL');
    // Created before the disk filled, and not one after; those in flight then were finished.
    expect(createsWhenFull).toBeGreaterThanOrEqual(3);
    expect(calls.create).toBe(createsWhenFull);
    expect(run.counts.created).toBe(calls.create - 1);
    expect(run.counts.skipped).toBe(8 - calls.create);
    // The failed image's task stays recorded: the next run resumes it, paying nothing.
    expect(lock.pending[failed[0]!.id]?.taskId).toMatch(/^task-/);
  });

  it('a download that meets a full disk is not tried again until the timeout', async () => {
    const clock = fakeClock();
    const store = memoryStore();
    const { provider, calls } = fakeProvider({
      store,
      timeoutMs: 600_000,
      download: () => enospc(),
    });
    const lock = emptyLock();
    const start = clock.now().getTime();
    const run = await drive(
      clock,
      runWithFakes({ manifest: manifestOf(1), provider, store, clock, lock }),
    );
    expect(calls.download).toBe(1);
    expect(clock.now().getTime() - start).toBeLessThan(10_000);
    expect(run.results[0]).toMatchObject({ outcome: 'failed', error: { code: 'DISK_FULL' } });
    expect(lock.pending['img-0']?.taskId).toBe('task-0');
  });

  it('a paid task whose id no disk takes is said at once in the form --resume takes, and still polled', async () => {
    const clock = fakeClock();
    const store = memoryStore();
    let lockWrites = 0;
    const written = store.writeLock.bind(store);
    store.writeLock = async (text) => {
      if (lockWrites++ === 0) throw enospc();
      await written(text);
    };
    const warnings: string[] = [];
    const { provider, calls } = fakeProvider({ store });
    const run = await drive(
      clock,
      runWithFakes({
        manifest: manifestOf(3, { concurrency: 1 }),
        provider,
        store,
        clock,
        logger: { info() {}, warn: (m) => warnings.push(m) },
      }),
    );
    expect(calls.create).toBe(1);
    expect(warnings.join('\n')).toContain('pixlock generate --resume img-0=task-0');
    expect(run.stoppedBy?.code).toBe('DISK_FULL');
    // Polled to its end and recorded once the disk took the lock again.
    expect(run.results.find((r) => r.id === 'img-0')?.outcome).toBe('created');
    expect(store.locks.at(-1)).toContain('img-0');
  });
});
