import { z } from 'zod';

/**
 * Bump whenever the checks below or the way a lock text is read (read-emitted-yaml.ts, the
 * js-yaml fallback) change: cached "this lock text passed" marks (see `readLock`) are keyed
 * by it, so a pixlock that reads or checks differently checks every lock again.
 */
export const LOCK_SCHEMA_REVISION = 3;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const count = z.int().min(0);

const lockedFile = z.object({
  path: z.string().min(1),
  sha256,
  width: count,
  height: count,
  bytes: count,
});

const lockEntry = z.object({
  generation: sha256,
  provider: z.string(),
  model: z.string(),
  seed: count,
  taskId: z.string(),
  credits: z.number().min(0),
  generatedAt: z.string(),
  original: z.object({ sha256, mediaType: z.string(), bytes: count, width: count, height: count }),
  output: z.object({ hash: sha256, files: z.array(lockedFile) }),
});

const pendingTask = z.object({
  taskId: z.string().min(1).optional(),
  generation: sha256,
  provider: z.string(),
  seed: count,
  credits: z.number().min(0),
  createdAt: z.string(),
});

/** Runtime check of a lockfile whose version is already known to be 1. */
export const lockfileSchema = z.object({
  lockfileVersion: z.literal(1),
  images: z.record(z.string(), lockEntry).nullish(),
  pending: z.record(z.string(), pendingTask).nullish(),
});
