import { afterEach, describe, expect, it } from 'vitest';
import { startFakeKinovi, type FakeKinovi } from '@pixlock/fake-kinovi';
import { kinoviManifest } from '../test-utils/kinovi-project.js';
import { tempProject, type TempProject } from '../test-utils/temp-project.js';
import { generateShard } from './generate-shard.js';
import { mergeShards } from './merge-shards.js';

let fake: FakeKinovi | undefined;
let project: TempProject | undefined;
afterEach(async () => {
  await fake?.close();
  await project?.cleanup();
});

describe('shards on one provider account', () => {
  it('4 shards asking for 8 each on an account of 8: each image created once, at most 8 429s', async () => {
    fake = await startFakeKinovi({ concurrencyLimit: 8, queueMs: 0, latencyMs: 150 });
    project = await tempProject({
      'pixlock.yaml': kinoviManifest(48).replace('concurrency: 4', 'concurrency: 8'),
    });
    const env = { KINOVI_API_KEY: 'test-key', KINOVI_BASE_URL: fake.baseUrl };
    const runs = await Promise.all(
      [1, 2, 3, 4].map((index) =>
        generateShard({ config: project!.config, env, shard: { index, total: 4 } }),
      ),
    );
    expect(runs.reduce((n, r) => n + r.run!.counts.created, 0)).toBe(48);
    expect(fake.stats.creates).toBe(48);
    expect(Object.values({ ...fake.stats.createsByPrompt })).toEqual(Array(48).fill(1));
    // Each starts at its share (2 of 8) and raises only when another is due to end. The 429s
    // and the makespan against plain pools are measured by bench/shared-account.ts.
    expect(fake.stats.creates429).toBeLessThanOrEqual(8);
    await mergeShards({ config: project.config });
  });
});
