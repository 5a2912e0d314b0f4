import type { Lockfile } from '../lock/lockfile.js';
import type { ResolvedManifest } from '../manifest/resolved-manifest.js';

/** The version of the {@link Review} document (`pixlock review --json`). */
export const REVIEW_VERSION = 1;

/** Where a shown image came from. */
export type PreviewSource =
  /** The output file on disk, its sha256 as locked. */
  | 'disk'
  /** The output file as committed at the base ref. */
  | 'git'
  /** The kept original (before resizing and encoding), from `.pixlock/originals/` or git. */
  | 'original';

/** An image file copied into the report, or why there is none. */
export type Preview =
  | {
      /** Relative to the report's folder: `images/<sha256>.<ext>`. */
      src: string;
      from: PreviewSource;
      width: number;
      height: number;
    }
  | { missing: string };

/** One side (base or head) as read: the manifest (absent when it did not exist) and the lock. */
export interface ReviewState {
  /** `HEAD (1a2b3c4)`, `origin/main (…)`, `working tree`. */
  label: string;
  manifest:
    | (Pick<ResolvedManifest, 'dir' | 'outDir' | 'provider' | 'images'> &
        Partial<Pick<ResolvedManifest, 'store' | 'file'>>)
    | undefined;
  lock: Lockfile;
  /** What to show for each image id that has a lock entry. */
  previews: Record<string, Preview>;
  /** Images with `variants`: each candidate's kept original, in candidate order. */
  candidatePreviews?: Record<string, Preview[]>;
  /** The manifest's file name in its folder, for the `pixlock pick` commands (`pixlock.yaml`). */
  config?: string;
}

/** One candidate of an image with `variants` (head side). */
export interface ReviewCandidate {
  /** From 1, as `pixlock pick` takes it. */
  number: number;
  seed: number;
  /** Whether the outputs are made from this one. */
  chosen: boolean;
  credits: number;
  taskId: string;
  preview?: Preview;
  /** The exact command that chooses it, to copy: `pixlock pick hero 2`. */
  pick: string;
}

/** One output file, as locked. */
export interface ReviewFile {
  path: string;
  width: number;
  height: number;
  bytes: number;
  /** Against the base's file of the same path (head side only; absent when the base had none). */
  deltaBytes?: number;
}

/** A reference as written, and the card of the image whose output it is, if any. */
export interface ReviewReference {
  ref: string;
  /** The id of the image that makes this file, for a link to its card. */
  imageId?: string;
}

/** One side of one image. */
export interface ImageSide {
  prompt?: string;
  negativePrompt?: string;
  /**
   * The seed the shown image was drawn with: with variants, the chosen candidate's; else the
   * manifest's, or the one pinned in the lock.
   */
  seed?: number;
  /**
   * With variants: the candidate (from 1) the outputs are made from. The seed, credits, task
   * and time on this side are that candidate's.
   */
  chosen?: number;
  provider?: string;
  model?: string;
  aspectRatio?: string;
  resolution?: string;
  references: ReviewReference[];
  /** The output options in words: `webp q80, width 800`. */
  output?: string;
  /** Whether the lock has an entry: false means not generated yet (or never was). */
  generated: boolean;
  credits?: number;
  taskId?: string;
  generatedAt?: string;
  files: ReviewFile[];
  bytes: number;
  preview?: Preview;
  /** With `variants`: every candidate kept, the chosen one marked. */
  candidates?: ReviewCandidate[];
}

/** What a card says about an image. */
export type ReviewStatus = 'added' | 'removed' | 'changed' | 'unchanged';

/** A run of words of a prompt diff. */
export interface DiffPart {
  op: 'same' | 'added' | 'removed';
  text: string;
}

/** One image's card. */
export interface ReviewImage {
  id: string;
  status: ReviewStatus;
  /**
   * What changed, in words: `prompt`, `seed`, `output`, `regenerated`, `reference <id> changed`
   * (drawn again because an image it is built on has a new original), `chosen candidate`, …
   */
  changes: string[];
  /** Word-level diff of the prompts, when both sides have one. */
  promptDiff?: DiffPart[];
  base?: ImageSide;
  head?: ImageSide;
  /** Credits paid for this image between base and head (a new task), else 0. */
  creditsSpent: number;
}

/** `pixlock review`: what changed between two states of a project. Versioned data. */
export interface Review {
  version: typeof REVIEW_VERSION;
  base: string;
  head: string;
  summary: {
    added: number;
    removed: number;
    changed: number;
    unchanged: number;
    /** Credits paid for the tasks the head has and the base did not. */
    creditsSpent: number;
    /** Output bytes: head minus base, over every image. */
    bytesAdded: number;
    baseBytes: number;
    headBytes: number;
  };
  /** Changed, added and removed images first (by id), then unchanged ones. */
  images: ReviewImage[];
}
