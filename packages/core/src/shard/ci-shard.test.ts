import { describe, expect, it } from 'vitest';
import { isPixlockError } from '../errors.js';
import { shardFromEnvironment } from './ci-shard.js';
import { formatShardSpec, MAX_SHARDS, parseShardSpec } from './shard-spec.js';

function usage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isPixlockError(error, 'USAGE')) return error.message;
    throw error;
  }
  throw new Error('no error');
}

describe('parseShardSpec', () => {
  it('reads <index>/<total> counted from 1', () => {
    expect(parseShardSpec('2/4')).toEqual({ index: 2, total: 4 });
    expect(parseShardSpec(' 1 / 1 ')).toEqual({ index: 1, total: 1 });
    expect(formatShardSpec(parseShardSpec('16/16'))).toBe('16/16');
  });

  it('refuses what is not a shard, saying why', () => {
    expect(usage(() => parseShardSpec('0/4'))).toMatch(/index must be .* from 1 to 4/);
    expect(usage(() => parseShardSpec('5/4'))).toMatch(/from 1 to 4/);
    expect(usage(() => parseShardSpec('1/0'))).toMatch(/total must be/);
    expect(usage(() => parseShardSpec(`1/${MAX_SHARDS + 1}`))).toMatch(/total must be/);
    for (const bad of ['2', '2/4/8', '-1/4', '1.5/4', 'a/b', '', '2of4'])
      expect(usage(() => parseShardSpec(bad))).toMatch(/expects <index>\/<total>/);
  });
});

describe('shardFromEnvironment', () => {
  it('reads GitLab (from 1), CircleCI and Buildkite (from 0) and says which', () => {
    expect(shardFromEnvironment({ CI_NODE_INDEX: '2', CI_NODE_TOTAL: '4' })).toEqual({
      index: 2,
      total: 4,
      source: 'GitLab CI CI_NODE_INDEX/CI_NODE_TOTAL',
    });
    expect(shardFromEnvironment({ CIRCLE_NODE_INDEX: '0', CIRCLE_NODE_TOTAL: '3' })).toMatchObject({
      index: 1,
      total: 3,
      source: 'CircleCI CIRCLE_NODE_INDEX/CIRCLE_NODE_TOTAL',
    });
    expect(
      shardFromEnvironment({ BUILDKITE_PARALLEL_JOB: '4', BUILDKITE_PARALLEL_JOB_COUNT: '5' }),
    ).toMatchObject({ index: 5, total: 5, source: expect.stringMatching(/^Buildkite/) });
  });

  it('takes a GitLab job without parallel: (total 1, no index) as the one shard', () => {
    expect(shardFromEnvironment({ CI_NODE_TOTAL: '1' })).toMatchObject({ index: 1, total: 1 });
  });

  it('refuses no system, two systems, half a pair and values out of range', () => {
    expect(usage(() => shardFromEnvironment({}))).toMatch(/found no parallel job.*matrix/);
    expect(
      usage(() =>
        shardFromEnvironment({
          CI_NODE_INDEX: '1',
          CI_NODE_TOTAL: '2',
          CIRCLE_NODE_INDEX: '0',
          CIRCLE_NODE_TOTAL: '2',
        }),
      ),
    ).toMatch(/more than one parallel job: 1\/2 from GitLab .* and 1\/2 from CircleCI/);
    expect(usage(() => shardFromEnvironment({ CIRCLE_NODE_INDEX: '1' }))).toMatch(
      /sets CIRCLE_NODE_INDEX but not CIRCLE_NODE_TOTAL/,
    );
    // CircleCI counts from 0: its last node is total − 1.
    expect(
      usage(() => shardFromEnvironment({ CIRCLE_NODE_INDEX: '3', CIRCLE_NODE_TOTAL: '3' })),
    ).toMatch(
      /CIRCLE_NODE_INDEX="3", CIRCLE_NODE_TOTAL="3": CircleCI counts from 0, so the index must be a whole number from 0 to CIRCLE_NODE_TOTAL − 1/,
    );
    expect(usage(() => shardFromEnvironment({ CI_NODE_INDEX: '0', CI_NODE_TOTAL: '3' }))).toMatch(
      /GitLab CI counts from 1, so the index must be a whole number from 1 to CI_NODE_TOTAL/,
    );
    expect(usage(() => shardFromEnvironment({ CI_NODE_INDEX: '1', CI_NODE_TOTAL: '900' }))).toMatch(
      /total must be a whole number from 1 to 256/,
    );
    expect(usage(() => shardFromEnvironment({ CI_NODE_INDEX: 'x', CI_NODE_TOTAL: '3' }))).toMatch(
      /CI_NODE_INDEX="x"/,
    );
  });
});
