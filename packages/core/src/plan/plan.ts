import picomatch from 'picomatch';
import type { ResolvedImage, ResolvedManifest } from '../manifest/resolved-manifest.js';
import type { Lockfile } from '../lock/lockfile.js';
import { generationHash, generationInputs, outputHash } from './hashes.js';
import { outputFiles } from './output-files.js';
import { CREDITS_PER_IMAGE, creditsToUsd } from './pricing.js';

/** The JSON form of a plan carries this version. */
export const PLAN_VERSION = 1;

/** What a run does to one image. */
export type PlanAction = 'create' | 'regenerate' | 'reprocess' | 'restore' | 'unchanged' | 'orphan';

/** Actions that call the provider (and may cost credits). */
export const PROVIDER_ACTIONS: ReadonlySet<PlanAction> = new Set(['create', 'regenerate']);

/** One image's line in the plan. */
export interface PlanEntry {
  id: string;
  action: PlanAction;
  /** Estimated credits this entry spends (0 for local work and resumed tasks). */
  credits: number;
  /** Why, in a few words. */
  reason: string;
  /** The seed to send; undefined when one is to be chosen at generation time. */
  seed?: number;
  /** The generation hash for that seed, when the seed is known. */
  generation?: string;
  /** A task already paid for (recorded by an earlier run) to poll instead of creating one. */
  resumeTaskId?: string;
  /** Output files (relative to the manifest's folder): to make, or for an orphan, to remove. */
  files: string[];
}

/** What a run will do, computed without touching anything. */
export interface Plan {
  version: typeof PLAN_VERSION;
  entries: PlanEntry[];
  /** Estimated credits in all. */
  credits: number;
  /** The same in dollars. */
  usd: number;
}

/** What is on disk now, as far as the plan needs to know. */
export interface Observed {
  /** Output path (relative to the manifest's folder) → sha256 of the file, or null when missing. */
  files: ReadonlyMap<string, string | null>;
  /** sha256 of every original present under `.pixlock/originals/`. */
  originals: ReadonlySet<string>;
  /** Absolute path of a local reference file → its sha256 (absent when the file is missing). */
  references: ReadonlyMap<string, string>;
}

/** Which images the plan covers and which must be generated again regardless. */
export interface PlanOptions {
  /** Ids or globs: plan only these images (orphans are left out). */
  only?: readonly string[];
  /** Ids or globs: generate these again even when nothing changed. */
  force?: readonly string[];
  /** Credits of one image; defaults to the provider's published prices (0 for placeholder). */
  creditsFor?: (image: ResolvedImage) => number;
}

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
  const creditsFor =
    options.creditsFor ??
    ((image: ResolvedImage) =>
      manifest.provider.name === 'placeholder' ? 0 : CREDITS_PER_IMAGE[image.resolution]);
  const referenceHash = (image: ResolvedImage, ref: string) =>
    observed.references.get(resolveReference(image.sourceFile, ref));

  const entries: PlanEntry[] = [];
  const ids = new Set<string>();
  for (const image of manifest.images) {
    ids.add(image.id);
    if (only && !only(image.id)) continue;
    entries.push(
      planImage(
        image,
        manifest,
        lock,
        observed,
        force?.(image.id) ?? false,
        creditsFor(image),
        referenceHash,
      ),
    );
  }
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
  const credits = entries.reduce((sum, e) => sum + e.credits, 0);
  return { version: PLAN_VERSION, entries, credits, usd: creditsToUsd(credits) };
}

function planImage(
  image: ResolvedImage,
  manifest: ResolvedManifest,
  lock: Lockfile,
  observed: Observed,
  forced: boolean,
  price: number,
  referenceHash: (image: ResolvedImage, ref: string) => string | undefined,
): PlanEntry {
  const locked = lock.images[image.id];
  const pending = lock.pending[image.id];
  const files = outputFiles(manifest.outDir, image.id, image.output).map((f) => f.path);
  const seed = image.seed ?? locked?.seed ?? pending?.seed;
  const generation =
    seed === undefined
      ? undefined
      : generationHash(generationInputs(image, manifest.provider, seed, referenceHash));
  const base = {
    id: image.id,
    files,
    ...(seed !== undefined && { seed }),
    ...(generation && { generation }),
  };

  const provider = (action: 'create' | 'regenerate', reason: string): PlanEntry => {
    if (
      !forced &&
      pending &&
      pending.generation === generation &&
      pending.provider === manifest.provider.name
    ) {
      return {
        ...base,
        action,
        credits: 0,
        reason: `resume task ${pending.taskId} (already paid)`,
        resumeTaskId: pending.taskId,
      };
    }
    return { ...base, action, credits: price, reason };
  };

  if (!locked) return provider('create', 'new image');
  if (forced) return provider('regenerate', 'forced');
  if (locked.generation !== generation)
    return provider('regenerate', regenerateReason(image, manifest, locked));

  const hasOriginal = observed.originals.has(locked.original.sha256);
  const sameOutputs =
    locked.output.hash === outputHash(image.output) &&
    locked.output.files.length === files.length &&
    locked.output.files.every((f, i) => f.path === files[i]);
  if (!sameOutputs) {
    return hasOriginal
      ? { ...base, action: 'reprocess', credits: 0, reason: 'output options changed' }
      : provider(
          'regenerate',
          'output options changed and the original is missing from .pixlock/originals',
        );
  }
  const damaged = locked.output.files.filter((f) => observed.files.get(f.path) !== f.sha256);
  if (damaged.length === 0)
    return { ...base, action: 'unchanged', credits: 0, reason: 'up to date' };
  const what = damaged
    .map(
      (f) =>
        `${f.path} ${observed.files.get(f.path) === null || !observed.files.has(f.path) ? 'missing' : 'modified'}`,
    )
    .join(', ');
  return hasOriginal
    ? { ...base, action: 'restore', credits: 0, reason: what }
    : provider('regenerate', `${what}, and the original is missing from .pixlock/originals`);
}

function regenerateReason(
  image: ResolvedImage,
  manifest: ResolvedManifest,
  locked: { provider: string; model: string; seed: number },
): string {
  if (locked.provider !== manifest.provider.name)
    return `provider changed (${locked.provider} → ${manifest.provider.name})`;
  if (locked.model !== manifest.provider.model)
    return `model changed (${locked.model} → ${manifest.provider.model})`;
  if (image.seed !== undefined && image.seed !== locked.seed)
    return `seed changed (${locked.seed} → ${image.seed})`;
  return 'generation inputs changed (prompt, negativePrompt, aspectRatio, resolution or references)';
}

/** Absolute path of a local reference, relative to the file that names it. */
export function resolveReference(sourceFile: string, ref: string): string {
  if (ref.startsWith('/')) return ref;
  const dir = sourceFile.slice(0, sourceFile.lastIndexOf('/'));
  const parts = `${dir}/${ref}`.split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return '/' + out.join('/');
}
