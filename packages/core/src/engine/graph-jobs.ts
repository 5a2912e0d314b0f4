import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import { PROVIDER_ACTIONS, type PlanEntry } from '../plan/plan.js';
import { referenceGraph } from '../plan/reference-graph.js';
import type { ImageResult } from './run-types.js';
import type { Job } from './scheduler.js';

/**
 * The scheduler's jobs for a plan's work. An image drawn from other images waits for those
 * this run draws anew (an image built on a reprocessed or restored one needs no wait: its
 * original stays), and among ready images the one with the longest chain still behind it
 * starts first, so a deep chain is not left for the end of the run.
 */
export function graphJobs(
  entries: readonly PlanEntry[],
  manifest: ResolvedManifest,
  run: (entry: PlanEntry) => Promise<ImageResult>,
): EntryJob[] {
  const hasEdges = manifest.images.some((i) => i.imageReferences.length > 0);
  if (!hasEdges) return entries.map((entry) => new EntryJob(entry, run));
  const graph = referenceGraph(manifest.images);
  const drawn = new Set(entries.filter((e) => PROVIDER_ACTIONS.has(e.action)).map((e) => e.id));
  const byId = new Map(manifest.images.map((i) => [i.id, i]));
  return entries.map((entry) => {
    const after = PROVIDER_ACTIONS.has(entry.action)
      ? (byId.get(entry.id)?.imageReferences ?? []).filter((up) => drawn.has(up))
      : [];
    return new EntryJob(
      entry,
      run,
      after.length > 0 ? after : undefined,
      graph.height.get(entry.id) ?? 1,
    );
  });
}

/**
 * One image's job. A class rather than an object with a closure: a run holds every job until
 * it ends, and at 100,000 images a closure and its context per job is memory for nothing.
 */
export class EntryJob implements Job<ImageResult> {
  constructor(
    readonly entry: PlanEntry,
    private readonly runEntry: (entry: PlanEntry) => Promise<ImageResult>,
    readonly after?: readonly string[],
    readonly priority?: number,
  ) {}

  get id(): string {
    return this.entry.id;
  }

  run(): Promise<ImageResult> {
    return this.runEntry(this.entry);
  }
}

/** Each image's rank for a provider slot (see {@link graphJobs}); undefined without a graph. */
export function graphPriority(manifest: ResolvedManifest): ((id: string) => number) | undefined {
  if (!manifest.images.some((i) => i.imageReferences.length > 0)) return undefined;
  const { height } = referenceGraph(manifest.images);
  return (id) => height.get(id) ?? 1;
}

/**
 * The result of an image not drawn because one it is built on did not succeed: skipped with
 * that image's own reason, never sent with a stale or missing reference.
 */
export function referenceFailed(
  entry: PlanEntry,
  dependency: string,
  ended: ReadonlyMap<string, ImageResult>,
): ImageResult {
  const { id, action } = entry;
  const up = ended.get(dependency);
  const why = !up
    ? 'did not succeed'
    : up.outcome === 'skipped'
      ? `was skipped (${up.skipReason ?? 'skipped'})`
      : up.outcome === 'submitted'
        ? 'is still at the provider (a later run collects it, then draws this one)'
        : up.outcome;
  return {
    id,
    action,
    outcome: 'skipped',
    skipReason: 'reference-failed',
    credits: 0,
    error: {
      code: up?.error?.code ?? 'UNKNOWN',
      message: `${id}: not generated because its reference ${dependency} ${why}${up?.error ? `: ${up.error.message}` : ''}`,
    },
  };
}
