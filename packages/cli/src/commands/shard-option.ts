import type { CiShard, ShardSpec } from '@pixlock/core';
import type { Terminal } from '../output/terminal.js';

/** A shard as `--shard` gave it, and where it came from (the CI system, for `auto`). */
export interface ShardChoice {
  spec: ShardSpec;
  /** `GitLab CI CI_NODE_INDEX/CI_NODE_TOTAL`, or undefined when given as i/n. */
  source?: string;
}

/** Reads `--shard <i>/<n>` or `--shard auto` (the CI system's parallel-job variables). */
export async function shardChoice(term: Terminal, value: string): Promise<ShardChoice> {
  const { parseShardSpec, shardFromEnvironment } = await import('@pixlock/core');
  if (value.trim() !== 'auto') return { spec: parseShardSpec(value) };
  const found: CiShard = shardFromEnvironment(term.env);
  return { spec: { index: found.index, total: found.total }, source: found.source };
}
