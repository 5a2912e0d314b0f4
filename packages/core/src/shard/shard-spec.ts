import { PixlockError } from '../errors.js';

/** One shard of a run split across `total` runners: `index` of `total`, both from 1. */
export interface ShardSpec {
  /** From 1 to `total`. */
  index: number;
  total: number;
}

/**
 * The most runners one manifest may be split across. CI systems stop well below it (GitLab's
 * `parallel:` at 200, a GitHub Actions matrix at 256 jobs); the bound keeps a typo such as
 * `1/10000000` from planning millions of empty shards.
 */
export const MAX_SHARDS = 256;

/**
 * Reads `<i>/<n>` as `--shard` takes it: whole numbers, 1 ≤ i ≤ n ≤ {@link MAX_SHARDS}.
 * Throws USAGE naming what is wrong.
 */
export function parseShardSpec(text: string): ShardSpec {
  const match = /^\s*(\d{1,6})\s*\/\s*(\d{1,6})\s*$/.exec(text);
  if (!match) {
    throw new PixlockError(
      'USAGE',
      `--shard expects <index>/<total> counted from 1 (say 2/4), or auto; got "${text}"`,
    );
  }
  return checkShardSpec(Number(match[1]), Number(match[2]), `--shard ${text.trim()}`);
}

/** Checks an index and a total (from 1) wherever they came from; `what` names the source. */
export function checkShardSpec(index: number, total: number, what: string): ShardSpec {
  if (!Number.isInteger(total) || total < 1 || total > MAX_SHARDS)
    throw new PixlockError(
      'USAGE',
      `${what}: the total must be a whole number from 1 to ${MAX_SHARDS}, got ${total}`,
    );
  if (!Number.isInteger(index) || index < 1 || index > total)
    throw new PixlockError(
      'USAGE',
      `${what}: the index must be a whole number from 1 to ${total} (counted from 1), got ${index}`,
    );
  return { index, total };
}

/** `2/4`, as the CLI prints it. */
export function formatShardSpec(spec: ShardSpec): string {
  return `${spec.index}/${spec.total}`;
}
