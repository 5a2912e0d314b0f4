import type { PushNotes } from '../engine/ports.js';
import type { RunResult } from '../engine/run-types.js';
import type { Lockfile } from '../lock/lockfile.js';
import { lockObjects } from '../engine/stored-objects.js';
import { PushJournal } from '../journal/push-journal.js';
import { ignoreOriginals } from '../remote-store/layered-originals.js';
import type { Plan } from '../plan/plan.js';
import type { Project } from './load-project.js';
import { pushPending, settlePushJournal } from './push-pending.js';

/** What a run of a project with a store does around the engine; see {@link prepareStoreRun}. */
export interface StoreRun {
  /** Where the engine notes what it has not pushed yet. */
  pushNotes: PushNotes;
  /** Settles the push journal and adds to the run's result what an earlier run left unpushed. */
  finish(run: RunResult): Promise<RunResult>;
}

/**
 * Before a run of a project whose manifest names a store: pushes first what an earlier run
 * left unpushed; checks the store reachable and writable when the run will pay for images (a
 * store that cannot take their originals fails the run here, before anything is paid); asks
 * the store, in a few listings, which outputs of the images to restore it holds (so each
 * restore fetches what it holds and encodes only the rest, asking nothing more). Undefined
 * without a store. A shard's run (generate-shard.ts) passes its own lock (its share's entries,
 * updated by the run) and its own push journal, so shards in one folder never share one.
 * @throws the store's error (STORE_UNREACHABLE, STORE_DENIED…) when it is not writable and the
 * run would pay.
 */
export async function prepareStoreRun(
  project: Project,
  plan: Plan,
  paidWork: boolean,
  own: { lock: Lockfile; pushJournal: string } = {
    lock: project.lock,
    pushJournal: project.paths.pushJournal,
  },
): Promise<StoreRun | undefined> {
  const stores = project.stores;
  if (!stores) return undefined;
  await ignoreOriginals(project.paths.dir);
  const journal = new PushJournal(own.pushJournal);
  const left = await pushPending(stores, own.lock, journal);
  if (paidWork) await stores.checkWritable();
  const restores = plan.entries.filter((e) => e.action === 'restore').map((e) => e.id);
  if (stores.outputs && restores.length > 0) {
    const outputs = lockObjects(own.lock, true, restores).filter((o) => o.kind === 'outputs');
    // Remembered by the store for the gets that follow; a failure here is theirs to report.
    await stores.objects.has(outputs).catch(() => undefined);
  }
  return {
    pushNotes: journal,
    async finish(run) {
      await settlePushJournal(stores, own.lock, journal);
      const unpushed = [...left, ...(run.unpushed ?? [])];
      return unpushed.length > 0 ? { ...run, unpushed } : run;
    },
  };
}
