import type { Currency } from '../pricing/currency.js';
import type { CandidatePlan } from './plan-variants.js';

/** The JSON form of a plan carries this version. */
export const PLAN_VERSION = 1;

/**
 * What a run does to one image. `move`: outDir changed; its outputs go to the new one (their
 * bytes, checked, or made again from the kept original), free.
 */
export type PlanAction =
  'create' | 'regenerate' | 'reprocess' | 'restore' | 'move' | 'unchanged' | 'orphan';

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
  /**
   * When an earlier run sent this image's create and never heard back (killed, connection
   * lost, gateway timeout): it may be paid for, so the run skips the image rather than create
   * it again.
   * `--force` for the image is the consent to create anew.
   */
  unconfirmedSince?: string;
  /** Output files (relative to the manifest's folder): to make, or for an orphan, to remove. */
  files: string[];
  /**
   * Ids of the manifest images this one is drawn from (`{ image: <id> }`). Set, with
   * `depth`, on every entry of a manifest where some image references another.
   */
  references?: string[];
  /** Longest chain of image references above this image: 0 when it references none. */
  depth?: number;
  /**
   * Referenced images this run draws anew: their originals, hence this image's generation
   * hash, are known only once they are done, so `generation` is left out and the run computes
   * it then.
   */
  waitsFor?: string[];
  /** An image with `variants`: the candidates to draw and keep (plan-variants.ts). */
  candidates?: CandidatePlan;
  /** A `move`: each locked output (in the folder an earlier outDir named) and where it goes. */
  moves?: OutputMove[];
}

/** One output of a `move`. */
export interface OutputMove {
  /** Where the lock has it (relative to the manifest's folder). */
  from: string;
  /** Its place in the current outDir. */
  to: string;
}

/** What a run will do, computed without touching anything. */
export interface Plan {
  version: typeof PLAN_VERSION;
  entries: PlanEntry[];
  /**
   * Estimated cost in all, in the provider's unit (`currency`; each entry's `credits` too):
   * kinovi credits, or dollars for a provider that bills in dollars.
   */
  credits: number;
  /** The same in dollars. */
  usd: number;
  /** The unit of `credits` when it is not kinovi credits (see pricing/currency.ts). */
  currency?: Currency;
}

/** What is on disk now, as far as the plan needs to know. */
export interface Observed {
  /** Output path (relative to the manifest's folder) → sha256 of the file, or null when missing. */
  files: ReadonlyMap<string, string | null>;
  /**
   * Which originals the originals store holds, by sha256. Asked only for an image whose
   * outputs must be made again (missing, modified, options changed): an up-to-date project
   * never asks, so a no-op never needs the store (project/plan-project.ts asks it lazily).
   */
  originals: OriginalsSeen;
  /** The originals store as messages name it (default: "the originals store"). */
  originalsStore?: string;
  /** Absolute path of a local reference file → its sha256 (absent when the file is missing). */
  references: ReadonlyMap<string, string>;
}

/** What the plan asks of the originals store: is the original with this sha256 there? */
export interface OriginalsSeen {
  has(sha256: string): boolean;
}

/** Which images the plan covers and which must be generated again regardless. */
export interface PlanOptions {
  /** Ids or globs: plan only these images (orphans are left out). */
  only?: readonly string[];
  /** Ids or globs: generate these again even when nothing changed. */
  force?: readonly string[];
  /**
   * Also take images this provider drew as current (the Vite dev server without a key keeps
   * its placeholders rather than redraw them on every save).
   */
  alsoAccept?: string;
}

/**
 * Every key of {@link PlanOptions}: what a cached plan is keyed by besides its inputs. Checked
 * complete by the compiler (below), so an option added to the plan cannot be left out of the
 * key.
 */
export const PLAN_OPTION_KEYS = ['only', 'force', 'alsoAccept'] as const;

// A compile error when PlanOptions gains a key the list above lacks.
type Unlisted = Exclude<keyof PlanOptions, (typeof PLAN_OPTION_KEYS)[number]>;
const listed: [Unlisted] extends [never] ? true : Unlisted = true;
void listed;

/** Just the plan's options of a larger options object (a generate's, say). */
export function planOptionsOf(options: PlanOptions): PlanOptions {
  const picked: PlanOptions = {};
  for (const key of PLAN_OPTION_KEYS)
    if (options[key] !== undefined) (picked as Record<string, unknown>)[key] = options[key];
  return picked;
}
