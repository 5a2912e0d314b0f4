import { z } from 'zod';
import { checkImageId } from '../image-id.js';
import { MEDIA_TYPES } from '../media-types.js';
import { PIXLOCK_DIR } from '../disk/project-paths.js';
import { checkLockPath } from './lock-path.js';
import { MAX_VARIANTS, parseTaskKey } from './task-key.js';
import { plural } from '../util/plural.js';
export { LOCK_SCHEMA_REVISION } from './lock-schema-revision.js';

/*
 * The one description of the lockfile: the TypeScript types (lockfile.ts), the runtime check
 * (parse-lock.ts) and the serializer's field order (serialize-lock.ts) all come from here.
 *
 * A lock arrives in pull requests, so it is checked as hostile input: every path stays inside
 * the project (relative, no `..`, not in `.pixlock/`), ids follow the manifest's id rules,
 * hashes are hex of the right length, media types come from a fixed set, and numbers are
 * finite and bounded. The project-level check that outputs lie inside `outDir` is in
 * lock-containment.ts (it needs the manifest).
 */

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected a sha256: 64 lowercase hex digits');
/** A size, width or byte count: a whole number no larger than any real image has. */
const count = z.int().min(0).max(Number.MAX_SAFE_INTEGER);
const dimension = z.int().min(0).max(1_000_000);
/** Credits of one task: what a real price list charges, with a wide margin. */
const credits = z.number().min(0).max(1_000_000);
/** Free text (provider, model, task id, a time): one line, printable, bounded. */
// eslint-disable-next-line no-control-regex
const PRINTABLE = /^[^\u0000-\u001f\u007f]*$/;
const text = (max: number) =>
  z.string().max(max).regex(PRINTABLE, 'must not contain control characters');
const mediaType = z.enum(MEDIA_TYPES.map((m) => m.mediaType) as [string, ...string[]]);
const relPath = z.string().superRefine((p, ctx) => {
  const problem = checkLockPath(p, PIXLOCK_DIR);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** One output file as written to disk. */
export const lockedFileSchema = z.object({
  /** Relative to the manifest's folder, forward slashes. */
  path: relPath,
  sha256,
  width: dimension,
  height: dimension,
  bytes: count,
});

/** The generated original, kept content-addressed under `.pixlock/originals/`. */
export const lockedOriginalSchema = z.object({
  sha256,
  mediaType,
  bytes: count,
  width: dimension,
  height: dimension,
});

/**
 * One candidate of an image made with `variants` (lockfileVersion 2): the seed it was drawn
 * with (derived from the image's, see candidateSeed) and its kept original.
 */
export const lockedCandidateSchema = z.object({
  seed: count,
  taskId: text(200),
  credits,
  generatedAt: text(64),
  original: lockedOriginalSchema,
});

/** Everything needed to reproduce and verify one image. */
export const lockEntrySchema = z
  .object({
    /** sha256 over the canonical generation inputs (see generationHash). */
    generation: sha256,
    provider: text(100),
    model: text(200),
    /** The seed sent, pinned even when the manifest leaves it out. */
    seed: count,
    taskId: text(200),
    /** Credits the provider reported for the task. */
    credits,
    /** ISO time the original arrived. */
    generatedAt: text(64),
    original: lockedOriginalSchema,
    /**
     * For an image drawn from other images of the manifest: the sha256 of each one's original
     * as sent, by id. Tells "an upstream image changed" apart from the image's own inputs.
     */
    references: z
      .record(z.string(), sha256)
      .superRefine((map, ctx) => {
        for (const id of Object.keys(map)) {
          const problem = checkImageId(id);
          if (problem)
            ctx.addIssue({ code: 'custom', path: [id], message: problem, params: { key: true } });
        }
      })
      .optional(),
    output: z.object({
      /** sha256 over the output options (see outputHash). */
      hash: sha256,
      files: z.array(lockedFileSchema).max(1000),
    }),
    /**
     * With `variants`: which candidate (from 1) the outputs are made from. Absent: the first.
     * `seed` above stays the image's seed; the fields above it describe the chosen candidate.
     */
    chosen: z.int().min(1).max(MAX_VARIANTS).optional(),
    /** With `variants`: every candidate kept, in the order the review numbers them. */
    candidates: z.array(lockedCandidateSchema).min(1).max(MAX_VARIANTS).optional(),
  })
  .superRefine((entry, ctx) => {
    // The chosen candidate is the image: a lock where they disagree would make outputs from
    // one original and show (or let `pick` keep) another.
    const chosen = entry.chosen ?? 1;
    if (!entry.candidates) {
      if (entry.chosen !== undefined && entry.chosen !== 1)
        ctx.addIssue({
          code: 'custom',
          path: ['chosen'],
          message: 'chosen names a candidate the entry does not list',
        });
      return;
    }
    const pick = entry.candidates[chosen - 1];
    if (!pick) {
      ctx.addIssue({
        code: 'custom',
        path: ['chosen'],
        message: `chosen is ${chosen} but only ${plural(entry.candidates.length, 'candidate is', 'candidates are')} listed`,
      });
    } else if (pick.taskId !== entry.taskId || pick.original.sha256 !== entry.original.sha256) {
      ctx.addIssue({
        code: 'custom',
        path: ['chosen'],
        message: `candidate ${chosen} (chosen) does not match the entry's taskId and original`,
      });
    }
  });

/** A task the provider accepted (or may have) whose result is not in yet: see lockfile.ts. */
export const pendingTaskSchema = z.object({
  taskId: text(200).min(1).optional(),
  generation: sha256,
  provider: text(100),
  /** The image's seed (for a candidate, the one its own seed is derived from). */
  seed: count,
  /** With `variants`: which candidate slot (2-8) this task draws; absent for the first. */
  candidate: z.int().min(2).max(MAX_VARIANTS).optional(),
  /** Estimated credits reserved by the provider. */
  credits,
  createdAt: text(64),
});

/** A map keyed by image id; each key must be an id the manifest could name. */
function byImageId<T extends z.ZodType>(value: T) {
  return z.record(z.string(), value).superRefine((map, ctx) => {
    for (const id of Object.keys(map)) {
      const problem = checkImageId(id);
      // `params.key`: the problem is the key itself, so parse-lock points at the key's line.
      if (problem)
        ctx.addIssue({ code: 'custom', path: [id], message: problem, params: { key: true } });
    }
  });
}

/**
 * `pending` is keyed by task: the image id for its first (or only) candidate, `<id>#<n>` for
 * candidate slot n of an image with `variants` (see task-key.ts), with `candidate: n` inside.
 */
const pendingByTask = z.record(z.string(), pendingTaskSchema).superRefine((map, ctx) => {
  for (const [key, task] of Object.entries(map)) {
    const parsed = parseTaskKey(key);
    const problem =
      typeof parsed === 'string'
        ? parsed
        : parsed.slot !== (task.candidate ?? 1)
          ? `pending key "${key}" does not match its candidate ${task.candidate ?? 1}`
          : undefined;
    if (problem)
      ctx.addIssue({ code: 'custom', path: [key], message: problem, params: { key: true } });
  }
});

/**
 * Runtime check of a lockfile whose version is already known to be one this pixlock reads:
 * 1 (before variants) has a subset of 2's fields, so one schema checks both.
 */
export const lockfileSchema = z.object({
  lockfileVersion: z.union([z.literal(1), z.literal(2)]),
  images: byImageId(lockEntrySchema).nullish(),
  pending: pendingByTask.nullish(),
});
