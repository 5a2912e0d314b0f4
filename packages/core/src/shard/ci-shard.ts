import { PixlockError } from '../errors.js';
import { checkShardSpec, type ShardSpec } from './shard-spec.js';

/** A shard read from a CI system's parallel-job variables, and where it came from. */
export interface CiShard extends ShardSpec {
  /** The CI system and the variables read, for the run's first line. */
  source: string;
}

/**
 * The parallel-job variables of the CI systems that set them, with the base of each index.
 * GitLab: `parallel: N` sets CI_NODE_INDEX from 1 and CI_NODE_TOTAL (which a job without
 * `parallel:` also has, set to 1). CircleCI: `parallelism: N` sets CIRCLE_NODE_INDEX from 0
 * to CIRCLE_NODE_TOTAL − 1. Buildkite: `parallelism: N` sets BUILDKITE_PARALLEL_JOB from 0
 * and BUILDKITE_PARALLEL_JOB_COUNT. GitHub Actions has no such variables: a matrix passes
 * `--shard ${{ matrix.shard }}/N` (see the README).
 */
const SYSTEMS = [
  { name: 'GitLab CI', index: 'CI_NODE_INDEX', total: 'CI_NODE_TOTAL', base: 1 },
  { name: 'CircleCI', index: 'CIRCLE_NODE_INDEX', total: 'CIRCLE_NODE_TOTAL', base: 0 },
  {
    name: 'Buildkite',
    index: 'BUILDKITE_PARALLEL_JOB',
    total: 'BUILDKITE_PARALLEL_JOB_COUNT',
    base: 0,
  },
] as const;

/**
 * `--shard auto`: the index and total of the CI system's parallel job, from 1. Exactly one
 * system's variables must be set (two that disagree would split the manifest two ways);
 * a GitLab job without `parallel:` (CI_NODE_TOTAL=1, no index) is shard 1/1. Throws USAGE
 * saying which variables it looked for when none or a bad value is found.
 */
export function shardFromEnvironment(env: Readonly<Record<string, string | undefined>>): CiShard {
  const found: CiShard[] = [];
  for (const system of SYSTEMS) {
    const rawIndex = env[system.index]?.trim();
    const rawTotal = env[system.total]?.trim();
    if (!rawIndex && !rawTotal) continue;
    const source = `${system.name} ${system.index}/${system.total}`;
    if (!rawIndex && system.base === 1 && rawTotal === '1') {
      found.push({ index: 1, total: 1, source: `${system.name} ${system.total}=1` });
      continue;
    }
    if (!rawIndex || !rawTotal)
      throw new PixlockError(
        'USAGE',
        `--shard auto: ${system.name} sets ${rawIndex ? system.index : system.total} but not ${rawIndex ? system.total : system.index}`,
      );
    const index = wholeNumber(rawIndex);
    const total = wholeNumber(rawTotal);
    const last = system.base === 0 ? `${system.total} − 1` : system.total;
    if (
      index === undefined ||
      total === undefined ||
      index < system.base ||
      index > (total ?? 0) - 1 + system.base
    )
      throw new PixlockError(
        'USAGE',
        `--shard auto: ${system.index}=${JSON.stringify(rawIndex)}, ${system.total}=${JSON.stringify(rawTotal)}: ${system.name} counts from ${system.base}, so the index must be a whole number from ${system.base} to ${last}`,
      );
    const spec = checkShardSpec(index + 1 - system.base, total, `--shard auto (${source})`);
    found.push({ ...spec, source });
  }
  if (found.length === 0)
    throw new PixlockError(
      'USAGE',
      `--shard auto found no parallel job: it reads ${SYSTEMS.map((s) => `${s.index}/${s.total} (${s.name})`).join(', ')}. ` +
        'On GitHub Actions, pass the matrix entry: --shard ${{ matrix.shard }}/N',
    );
  if (found.length > 1)
    throw new PixlockError(
      'USAGE',
      `--shard auto found more than one parallel job: ${found.map((f) => `${f.index}/${f.total} from ${f.source}`).join(' and ')}; pass --shard <index>/<total>`,
    );
  return found[0]!;
}

function wholeNumber(text: string): number | undefined {
  return /^\d{1,6}$/.test(text) ? Number(text) : undefined;
}
