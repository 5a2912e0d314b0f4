import { lstatSync } from 'node:fs';
import path from 'node:path';
import { acquireRunMutex, checkRunMutex } from '../disk/run-mutex.js';
import { journalFiles, projectPaths } from '../disk/project-paths.js';
import { clearJournal } from '../journal/create-journal.js';
import { asDiskError } from '../disk/disk-error.js';
import { LockJournal } from '../journal/lock-journal.js';
import { reserveBytes, SpaceReserve } from '../disk/space-reserve.js';
import { serializeLock } from '../lock/serialize-lock.js';
import type { Clock, ImageCodec, Logger, ProjectFiles } from '../engine/ports.js';
import { sharpCodec } from '../codec/sharp-codec.js';
import type { CreateJournal } from '../journal/create-journal.js';
import { runPlan, type RunPlanOptions } from '../engine/run-plan.js';
import type { EngineEvent, RunResult } from '../engine/run-types.js';
import { PROVIDER_ACTIONS, type Plan } from '../plan/plan.js';
import { checkOnlyPatterns } from '../plan/check-only-patterns.js';
import { planOptionsOf, type PlanOptions } from '../plan/plan-types.js';
import { PixlockError } from '../errors.js';
import type { ImageProvider } from '../providers/image-provider.js';
import { createProvider } from '../providers/create-provider.js';
import type { ProviderEnvironment } from '../providers/provider-environment.js';
import { applyResume } from './apply-resume.js';
import { readProject, type Project } from './load-project.js';
import { planSnapshot, type PlannedProject } from './plan-project.js';
import { CacheSession } from './cache/cache-session.js';
import { prepareTempDir } from './local-files.js';
import { projectFiles } from './project-store.js';
import type { ProjectStores } from './project-stores.js';
import { refuseUnmergedShards } from '../shard/unmerged-shards.js';
import { prepareStoreRun } from './store-run.js';
import type { RemoteStoreOptions } from '../remote-store/remote-store.js';

/** Options of {@link generate}. */
export interface GenerateOptions extends PlanOptions {
  /** Path of the manifest. */
  config: string;
  /** Provider tasks in flight at once (default: the manifest's `concurrency`). */
  concurrency?: number;
  /** Never call the provider; only reprocess and restore from kept originals. */
  frozen?: boolean;
  /** Plan only; change nothing. */
  dryRun?: boolean;
  /** Most credits this run may spend (the manifest's `budget` applies too; the lower wins). */
  maxCredits?: number;
  /** Create tasks and return without waiting for them (see RunPlanOptions.noWait). */
  noWait?: boolean;
  signal?: AbortSignal;
  onEvent?: (event: EngineEvent) => void;
  logger?: Logger;
  clock?: Clock;
  random?: () => number;
  /** Where provider settings and secrets come from (default: process.env and a .env file). */
  env?: ProviderEnvironment;
  /** Use this provider instead of the manifest's (tests, the Vite plugin's dev fallback). */
  provider?: ImageProvider;
  /** Milliseconds to wait for another pixlock process on the same manifest. */
  waitMs?: number;
  /**
   * The project's files, a port for each kind (default: the local disk under the manifest's
   * folder); any one may be given alone (an in-memory originals store, say).
   */
  files?: Partial<ProjectFiles>;
  /** Decodes and encodes images (default: sharp). */
  codec?: ImageCodec;
  /** Where paid creates are noted before they are sent (default: the project's journal). */
  journal?: CreateJournal;
  /** Takes the project's run mutex, resolving to its release (default: the lock-file mutex). */
  acquireMutex?: () => Promise<() => Promise<void>>;
  /** The store's transfer options, when the manifest names one (retries; a test's clock). */
  storeOptions?: RemoteStoreOptions;
  /**
   * `<key>=<taskId>` of paid tasks whose id an earlier run could not record (a full disk) and
   * printed for this option: they are polled instead of held (see apply-resume.ts).
   */
  resume?: readonly string[];
}

/** What {@link generate} did. */
export interface GenerateResult {
  project: Project;
  plan: Plan;
  /** Undefined for a dry run. */
  run?: RunResult;
}

/**
 * Plans and applies: the one entry point both adapters use. Holds the project's run mutex
 * from reading the lock to writing it, so two processes never interleave.
 */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  // The store connections each read opened, closed at the end. The stores only: holding the
  // projects would keep the first read's manifest and lock alive for the whole run.
  const read: ProjectStores[] = [];
  // A full or failing disk anywhere (the mutex, the temporary folder, the lock) is said as
  // such, naming the file, rather than as the system's bare error.
  return generateOnce(options, read)
    .catch((error: unknown) => {
      throw asDiskError(error) ?? error;
    })
    .finally(() => {
      for (const stores of read) stores.close();
    });
}

async function generateOnce(
  options: GenerateOptions,
  opened: ProjectStores[],
): Promise<GenerateResult> {
  // Where everything is, once: every read and write below is handed these paths.
  const paths = projectPaths(options.config);
  // What the command would cache, written only once it has succeeded (cache-files.ts).
  const cache = new CacheSession(paths.cacheDir);
  const originals = options.files?.originals;
  const read = async () => {
    const project = await readProject(paths, cache, {
      ...(originals && { originals }),
      ...(options.env && { storeEnv: options.env }),
      ...(options.storeOptions && { storeOptions: options.storeOptions }),
    });
    if (project.stores) opened.push(project.stores);
    return project;
  };
  const planOptions = planOptionsOf(options);
  const plan = (project: Project) => planSnapshot(project, cache, planOptions);
  if (options.dryRun) {
    const project = await read();
    checkOnlyPatterns(project.manifest, options.only);
    const planned = (await plan(project)).plan;
    await cache.commit();
    return { project, plan: planned };
  }
  // A committed or foreign .pixlock-run.lock is said before anything is read or cached.
  checkRunMutex(paths.runLock);
  // Shards' results not yet in pixlock.lock would be paid for again (generate-shard.ts).
  refuseUnmergedShards(paths.dir);
  // Read, validate and plan first, holding nothing: a bad manifest or lock fails here, before
  // the mutex creates .pixlock/, so an error leaves the tree exactly as it was.
  let first: Project | undefined = await read();
  checkOnlyPatterns(first.manifest, options.only);
  resume(first, options.resume);
  let firstPlan: PlannedProject | undefined = await plan(first);
  if (
    nothingToWrite(first, firstPlan.plan) &&
    (!first.stores || !lstatSync(paths.pushJournal, { throwIfNoEntry: false }))
  ) {
    // The common no-op: no image needs work and no killed run left anything to fold in (with a
    // store, nothing left to push either). Such a run writes nothing, so there is nothing for
    // the mutex to guard and no reason to read the project a second time. A push journal left
    // by a project that has since dropped its store is not work: nothing could push it.
    const run = await runPlan(
      runOptions(options, first, firstPlan.plan, firstPlan.observed.references, {
        provider: unusedProvider(first.manifest.provider.name),
        files: projectFiles(first, options.files),
        codec: options.codec ?? sharpCodec(),
      }),
    );
    await cache.commit();
    return { project: first, plan: firstPlan.plan, run };
  }
  // Not held through the run (locals of this suspended function would be): at 100,000 images
  // a second manifest and plan are a third of the heap.
  first = undefined;
  firstPlan = undefined;
  // Then read again under the mutex: what is read under it is what the run works from, even
  // if another process changed the files in between.
  const release = await (options.acquireMutex?.() ??
    acquireRunMutex(paths.runLock, paths.manifestFile, {
      ...(options.waitMs !== undefined && { waitMs: options.waitMs }),
      onWait: () => options.logger?.warn('waiting for another pixlock process on this manifest...'),
    }));
  try {
    const project = await read();
    resume(project, options.resume);
    const files = projectFiles(project, options.files);
    // What a killed run left in the journal: into the lock first, then off the journal.
    if (project.unsettledCreates + (project.journaledChanges ?? 0) > 0)
      await files.lock.writeLock(serializeLock(project.lock));
    for (const f of journalFiles(paths)) await clearJournal(paths.dir, f);
    const planned = await plan(project);
    // Only a run with provider work needs the provider (and its key): a frozen CI build, a
    // run that only reprocesses, or one whose only such images are held must not fail for
    // want of a key it will never use.
    const needsProvider =
      !options.frozen &&
      planned.plan.entries.some(
        (e) => PROVIDER_ACTIONS.has(e.action) && e.unconfirmedSince === undefined,
      );
    const provider =
      options.provider ??
      (needsProvider
        ? await createProvider(project.manifest, options.env, options.clock)
        : unusedProvider(project.manifest.provider.name));
    await prepareTempDir(paths);
    // Pushes what an earlier run left first, and checks the store writable before any create.
    const storeRun = await prepareStoreRun(project, planned.plan, needsProvider);
    // Room kept for the ids of tasks paid for once the disk fills up (space-reserve.ts): a
    // disk without it fails here, before anything is paid.
    const reserve = needsProvider
      ? await SpaceReserve.create(
          path.join(paths.tmpDir, 'reserve'),
          reserveBytes(options.concurrency ?? project.manifest.concurrency),
        )
      : undefined;
    const journal = new LockJournal(paths.journal, {
      oldFile: paths.journalOld,
      ...(reserve && { reserve }),
    });
    const run = await runPlan({
      ...runOptions(options, project, planned.plan, planned.observed.references, {
        provider,
        files: storeRun ? { ...files, pushNotes: storeRun.pushNotes } : files,
        codec: options.codec ?? sharpCodec(),
      }),
      journal: options.journal ?? journal,
      lockJournal: journal,
    }).finally(() => {
      // runPlan folded the journal into the lock. Every create settled (the usual case): the
      // file goes. Otherwise (a failed lock write) the next run folds in what is left.
      journal.close();
      reserve?.release();
    });
    await cache.commit();
    return { project, plan: planned.plan, run: storeRun ? await storeRun.finish(run) : run };
  } finally {
    await release();
  }
}

/**
 * Applies `--resume` to a project as read (apply-resume.ts). Counted as journaled changes: the
 * lock in memory is then not the file's (no cached plan is used for it) and is written first.
 */
function resume(project: Project, values: readonly string[] | undefined): void {
  if (!values?.length) return;
  const ids = new Set(project.manifest.images.map((i) => i.id));
  project.journaledChanges =
    (project.journaledChanges ?? 0) + applyResume(project.lock, ids, values);
}

/** True when applying the plan would write nothing at all. */
function nothingToWrite(project: Project, plan: Plan): boolean {
  return (
    project.unsettledCreates + (project.journaledChanges ?? 0) === 0 &&
    plan.entries.every((e) => e.action === 'unchanged' || e.action === 'orphan')
  );
}

/** What {@link runPlan} is given, from the options and the project read. */
export function runOptions(
  options: GenerateOptions,
  project: Project,
  plan: Plan,
  references: ReadonlyMap<string, string>,
  ports: Pick<RunPlanOptions, 'provider' | 'files' | 'codec'>,
): RunPlanOptions {
  const budgets = [options.maxCredits, project.manifest.budget].filter(
    (b): b is number => b !== undefined,
  );
  return {
    manifest: project.manifest,
    plan,
    lock: project.lock,
    ...ports,
    references,
    ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
    ...(options.frozen !== undefined && { frozen: options.frozen }),
    ...(options.noWait && { noWait: true }),
    ...(budgets.length > 0 && { maxCredits: Math.min(...budgets) }),
    ...(options.signal && { signal: options.signal }),
    ...(options.onEvent && { onEvent: options.onEvent }),
    ...(options.logger && { logger: options.logger }),
    ...(options.clock && { clock: options.clock }),
    ...(options.random && { random: options.random }),
  };
}

/** Stands in for a provider the run will not call; calling it is a bug, said loudly. */
export function unusedProvider(name: string): ImageProvider {
  const fail = (): never => {
    throw new PixlockError(
      'INTERNAL',
      `the ${name} provider was called in a run planned without provider work`,
    );
  };
  return {
    name,
    // Never driven, so any: what the engine reads before a create (none) must not fail.
    capabilities: { references: 'urls', results: 'url', calls: 'task' },
    pollIntervalMs: 0,
    timeoutMs: 0,
    createTask: fail,
    pollTask: fail,
    download: fail,
  };
}
