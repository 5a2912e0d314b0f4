import picomatch from 'picomatch';
import type { ResolvedImage, ResolvedManifest } from '../manifest/resolved-manifest.js';
import type { Lockfile } from '../lock/lockfile.js';
import { generationHash, generationInputs, outputHash } from './hashes.js';
import { clampNote, originalSize, outputFiles, type PixelSize } from '../manifest/output-files.js';
import { candidatesSeed, planVariants } from './plan-variants.js';
import { costTotal } from '../pricing/cost-total.js';
import { imagePrice, priceListOf } from '../pricing/price-table.js';
import { referenceGraph } from './reference-graph.js';
import { cascadeReason, regenerateReason } from './regenerate-reason.js';
import {
  PLAN_VERSION,
  PROVIDER_ACTIONS,
  type Observed,
  type Plan,
  type PlanAction,
  type PlanEntry,
  type PlanOptions,
} from './plan-types.js';
import { resolveReference } from './resolve-reference.js';
import { planMove } from './plan-move.js';

// Kept so existing imports of it from here still work; it lives in its own file.
export { resolveReference } from './resolve-reference.js';

export {
  PLAN_VERSION,
  PROVIDER_ACTIONS,
  type Observed,
  type OriginalsSeen,
  type Plan,
  type PlanAction,
  type PlanEntry,
  type PlanOptions,
} from './plan-types.js';

/**
 * Compares the manifest with the lock and the disk and says what to do with each image.
 * Pure: no file, network or clock.
 */
export function plan(
  manifest: ResolvedManifest,
  lock: Lockfile,
  observed: Observed,
  options: PlanOptions = {},
): Plan {
  const only = options.only?.length ? picomatch([...options.only]) : undefined;
  const force = options.force?.length ? picomatch([...options.force]) : undefined;
  const referenceHash = (image: ResolvedImage, ref: string) =>
    observed.references.get(resolveReference(image.sourceFile, ref));

  const outputHashes = new Map<string, string>();
  const outputHashOf = (image: ResolvedImage, original: PixelSize) => {
    const key = `${original.width}x${original.height}${JSON.stringify(image.output)}`;
    let hash = outputHashes.get(key);
    if (hash === undefined) outputHashes.set(key, (hash = outputHash(image.output, original)));
    return hash;
  };
  const graph = manifest.images.some((i) => i.imageReferences.length > 0)
    ? referenceGraph(manifest.images)
    : undefined;
  const referenced = new Set(manifest.images.flatMap((i) => i.imageReferences));
  // The original each image will have once this run is over, or undefined when the run draws
  // it anew (or it has none): what the images built on it hash.
  const originals = new Map<string, string | undefined>();
  const redrawn = new Set<string>();
  const entries: PlanEntry[] = [];
  const ids = new Set<string>();
  for (const image of graph ? graph.order : manifest.images) {
    ids.add(image.id);
    if (only && !only(image.id)) {
      // Left out of this run: what is built on it is built on its locked original.
      if (referenced.has(image.id)) originals.set(image.id, lock.images[image.id]?.original.sha256);
      continue;
    }
    const e = planImage(
      image,
      manifest,
      lock,
      observed,
      force?.(image.id) ?? false,
      options.alsoAccept,
      imagePrice(manifest.provider, image.resolution),
      referenceHash,
      outputHashOf,
      { originals, redrawn },
    );
    if (graph) {
      if (image.imageReferences.length > 0) e.references = [...image.imageReferences];
      e.depth = graph.depth.get(image.id) ?? 0;
    }
    if (referenced.has(image.id)) {
      const drawn = PROVIDER_ACTIONS.has(e.action);
      if (drawn) redrawn.add(image.id);
      originals.set(image.id, drawn ? undefined : lock.images[image.id]?.original.sha256);
    }
    entries.push(e);
  }
  // Planned upstream first; listed by id like every plan.
  if (graph) entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (!only) {
    for (const id of Object.keys(lock.images).sort()) {
      if (ids.has(id)) continue;
      const files = lock.images[id]!.output.files.map((f) => f.path);
      entries.push({
        id,
        action: 'orphan',
        credits: 0,
        reason: 'in the lock but not in the manifest',
        files,
      });
    }
  }
  const { currency } = priceListOf(manifest.provider.name);
  const total = costTotal(
    entries.map((e) => e.credits),
    currency,
  );
  return { version: PLAN_VERSION, entries, ...total };
}

function planImage(
  image: ResolvedImage,
  manifest: ResolvedManifest,
  lock: Lockfile,
  observed: Observed,
  forced: boolean,
  alsoAccept: string | undefined,
  price: number,
  referenceHash: (image: ResolvedImage, ref: string) => string | undefined,
  outputHashOf: (image: ResolvedImage, original: PixelSize) => string,
  upstream: UpstreamState,
): PlanEntry {
  const locked = lock.images[image.id];
  const pending = lock.pending[image.id];
  const seed = image.seed ?? locked?.seed ?? pending?.seed ?? candidatesSeed(lock, image);
  const waitsFor = image.imageReferences.filter((up) => upstream.originals.get(up) === undefined);
  const generation =
    seed === undefined || waitsFor.length > 0
      ? undefined
      : generationHash(
          generationInputs(image, manifest.provider, seed, referenceHash, (up) =>
            upstream.originals.get(up),
          ),
        );
  // Sizes clamp to the original: the kept one's when it stays, else what the resolution gives.
  const original =
    locked && locked.generation === generation
      ? locked.original
      : originalSize(image.aspectRatio, image.resolution);
  const files = outputFiles(manifest.outDir, image.id, image.output, original).map((f) => f.path);
  const clamped = clampNote(image.output, original);
  // Built field by field rather than with spreads: this runs once per image on every plan.
  const entry = (action: PlanAction, credits: number, reason: string): PlanEntry => {
    const said = clamped === undefined ? reason : `${reason}; ${clamped}`;
    const e: PlanEntry = { id: image.id, action, credits, reason: said, files };
    if (seed !== undefined) e.seed = seed;
    if (generation !== undefined) e.generation = generation;
    if (waitsFor.length > 0 && PROVIDER_ACTIONS.has(action)) e.waitsFor = waitsFor;
    return e;
  };
  const provider = (action: 'create' | 'regenerate', reason: string): PlanEntry => {
    const resumable =
      !forced && pending?.generation === generation && pending?.provider === manifest.provider.name;
    if (!resumable || !pending) return entry(action, price, reason);
    if (pending.taskId === undefined) {
      const e = entry(
        action,
        0,
        `held: its create was sent at ${pending.createdAt} and never answered, so it may be paid for; check, then --force it`,
      );
      e.unconfirmedSince = pending.createdAt;
      return e;
    }
    const e = entry(action, 0, `resume task ${pending.taskId} (already paid)`);
    e.resumeTaskId = pending.taskId;
    return e;
  };

  if (image.variants !== undefined || locked?.candidates) {
    const stale =
      locked &&
      (locked.generation !== generation ||
        (locked.provider !== manifest.provider.name && locked.provider !== alsoAccept));
    const fresh = !locked
      ? undefined
      : forced
        ? { action: 'regenerate' as const, because: 'forced' }
        : stale
          ? {
              action: 'regenerate' as const,
              because:
                waitsFor.length > 0
                  ? cascadeReason(waitsFor, upstream.redrawn)
                  : regenerateReason(image, manifest, locked, (up) => upstream.originals.get(up)),
            }
          : undefined;
    const v = planVariants(image, lock, manifest.provider.name, fresh, forced, generation);
    if (v) {
      const e = entry(v.action, v.unconfirmedSince ? 0 : v.paid * price, v.reason);
      e.candidates = v.candidates;
      if (v.unconfirmedSince !== undefined) e.unconfirmedSince = v.unconfirmedSince;
      return e;
    }
  }
  if (!locked) return provider('create', 'new image');
  if (forced) return provider('regenerate', 'forced');
  if (waitsFor.length > 0) return provider('regenerate', cascadeReason(waitsFor, upstream.redrawn));
  // The provider recorded is the one that drew it: a placeholder drawn in dev without a key
  // (recorded as placeholder) is not a kinovi image, whatever the hash says.
  const drawnBy = locked.provider;
  if (
    locked.generation !== generation ||
    (drawnBy !== manifest.provider.name && drawnBy !== alsoAccept)
  ) {
    return provider(
      'regenerate',
      regenerateReason(image, manifest, locked, (up) => upstream.originals.get(up)),
    );
  }
  // Asked only where the answer matters (below), so a project whose outputs all hold never
  // asks the store at all.
  const hasOriginal = () => observed.originals.has(locked.original.sha256);
  const missingFrom = () =>
    `the original is missing from ${observed.originalsStore ?? 'the originals store'}`;
  const lockedFiles = locked.output.files;
  const sameOptions =
    locked.output.hash === outputHashOf(image, original) && lockedFiles.length === files.length;
  let sameOutputs = sameOptions;
  for (let i = 0; sameOutputs && i < files.length; i++)
    sameOutputs = lockedFiles[i]!.path === files[i];
  if (!sameOutputs) {
    const move = sameOptions
      ? planMove(image.id, lockedFiles, files, manifest, observed)
      : undefined;
    if (move) {
      const lost = `${move.changed}; ${move.missing.join(', ')} missing`;
      if (move.missing.length > 0 && !hasOriginal())
        return provider('regenerate', `${lost}, and ${missingFrom()}`);
      const e = entry(
        'move',
        0,
        move.missing.length === 0 ? move.changed : `${lost}, made again from the kept original`,
      );
      e.moves = move.moves;
      return e;
    }
    return hasOriginal()
      ? entry('reprocess', 0, 'output options changed')
      : provider('regenerate', `output options changed and ${missingFrom()}`);
  }
  let what = '';
  for (const f of lockedFiles) {
    const seen = observed.files.get(f.path);
    if (seen === f.sha256) continue;
    what += `${what ? ', ' : ''}${f.path} ${seen === null || seen === undefined ? 'missing' : 'modified'}`;
  }
  if (what === '') return entry('unchanged', 0, 'up to date');
  return hasOriginal()
    ? entry('restore', 0, what)
    : provider('regenerate', `${what}, and ${missingFrom()}`);
}

/** What {@link planImage} knows of the images this one references. */
interface UpstreamState {
  /** Id → the original it will have after the run; undefined when drawn anew or absent. */
  originals: ReadonlyMap<string, string | undefined>;
  /** Ids this run draws anew. */
  redrawn: ReadonlySet<string>;
}
