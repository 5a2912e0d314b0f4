import jsYaml from 'js-yaml';
import { z } from 'zod';
import { PixlockError, type Diagnostic } from '../errors.js';
import { checkImageId } from '../image-id.js';
import { emitYamlEntry } from '../lock/emit-yaml.js';
import { checkLockContainment } from '../lock/lock-containment.js';
import type { Lockfile } from '../lock/lockfile.js';
import { parseLock } from '../lock/parse-lock.js';
import { readEmittedYaml } from '../lock/read-emitted-yaml.js';
import { serializeLock } from '../lock/serialize-lock.js';
import { imageIdOf } from '../lock/task-key.js';
import { YamlLocator } from '../util/yaml-locator.js';
import { MAX_SHARDS } from './shard-spec.js';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected a sha256: 64 lowercase hex digits');
const imageId = z.string().superRefine((id, ctx) => {
  const problem = checkImageId(id);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/**
 * What a shard ran against, the `shard:` block of `pixlock.shard-<i>-of-<n>.lock`: which shard,
 * digests of the manifest, of the lock it started from and of the whole split, and every image
 * it was responsible for. `pixlock merge` folds only shards that agree on all of it.
 */
export const shardMetaSchema = z
  .object({
    index: z.int().min(1).max(MAX_SHARDS),
    total: z.int().min(1).max(MAX_SHARDS),
    /** sha256 over the manifest's files (manifest-digest.ts). */
    manifest: sha256,
    /** sha256 of the lock the shard started from, as pixlock writes it (journal replayed). */
    lock: sha256,
    /** sha256 of the split of every image to its shard (split-plan.ts). */
    split: sha256,
    /** Its share: every image it was responsible for, sorted, with work or not. */
    images: z.array(imageId).max(1_000_000),
  })
  .superRefine((meta, ctx) => {
    if (meta.index > meta.total)
      ctx.addIssue({
        code: 'custom',
        path: ['index'],
        message: `index ${meta.index} is above the total ${meta.total}`,
      });
    for (let i = 1; i < meta.images.length; i++)
      if (!(meta.images[i - 1]! < meta.images[i]!)) {
        ctx.addIssue({
          code: 'custom',
          path: ['images', i],
          message: 'the images must be sorted and each listed once',
        });
        break;
      }
  });

/** The `shard:` block (fields: {@link shardMetaSchema}). */
export type ShardMeta = z.output<typeof shardMetaSchema>;

/** A shard lock as read: what it ran against, and its images' entries and pending tasks. */
export interface ShardLock {
  meta: ShardMeta;
  lock: Lockfile;
}

const ORDER = Object.keys(shardMetaSchema.shape).map((k) => [k, null] as const);

/**
 * The text of a shard lock: the lock's own text (same header, fields and order, so each entry
 * is byte for byte the line pixlock.lock will have) with the `shard:` block after its version.
 */
export function serializeShardLock(meta: ShardMeta, lock: Lockfile): string {
  return withShardBlock(serializeLock(lock), meta);
}

/**
 * Puts the `shard:` block into a lock's text as serializeLock wrote it (the run's lock writer
 * is handed that text; generate-shard.ts adds the block on its way to the shard's file).
 */
export function withShardBlock(lockText: string, meta: ShardMeta): string {
  const version = /^lockfileVersion: \d+\n/m.exec(lockText);
  if (!version) throw new PixlockError('INTERNAL', 'a lock text without its lockfileVersion line');
  const at = version.index + version[0].length;
  const block = emitYamlEntry('shard', meta, 0, ORDER) + '\n';
  return (
    HEADER + lockText.slice(lockText.indexOf('lockfileVersion'), at) + block + lockText.slice(at)
  );
}

const HEADER =
  '# A shard of a pixlock run (pixlock generate --shard). "pixlock merge" folds it into\n' +
  '# pixlock.lock and removes it: do not commit it.\n';

/**
 * Parses and checks a shard lock as hostile input, as the lock is (lock-schema.ts): the lock
 * part by parseLock, outputs held inside `outDir` (lock-containment.ts), the `shard:` block by
 * {@link shardMetaSchema}; and every entry and pending task must belong to an image of its
 * share. Throws LOCK_INVALID with the file, line and column of the first problem.
 */
export function parseShardLock(text: string, file: string, outDir: string): ShardLock {
  const lock = parseLock(text, file);
  checkLockContainment(lock, outDir, file, () => text);
  const data = (readEmittedYaml(text) ?? jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA })) as {
    shard?: unknown;
  } | null;
  const result = shardMetaSchema.safeParse(data?.shard);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const at = ['shard', ...issue.path.filter((p): p is string | number => typeof p !== 'symbol')];
    throw invalid(
      text,
      file,
      at,
      data?.shard === undefined ? 'no shard: block (is it a shard lock?)' : issue.message,
    );
  }
  const meta = result.data;
  const share = new Set(meta.images);
  for (const id of Object.keys(lock.images))
    if (!share.has(id))
      throw invalid(text, file, ['images', id], `image "${id}" is not one of this shard's images`);
  for (const key of Object.keys(lock.pending))
    if (!share.has(imageIdOf(key)))
      throw invalid(
        text,
        file,
        ['pending', key],
        `pending "${key}" is not one of this shard's images`,
      );
  return { meta, lock };
}

function invalid(
  text: string,
  file: string,
  at: (string | number)[],
  message: string,
): PixlockError {
  const where = new YamlLocator(text).locate(
    at,
    typeof at.at(-1) === 'string' && at[0] !== 'shard',
  );
  const diagnostic: Diagnostic = { file, path: at, ...where, message };
  return new PixlockError(
    'LOCK_INVALID',
    `${file}:${where.line}:${where.column}: the shard lock is damaged: ${message}`,
    { diagnostics: [diagnostic] },
  );
}
