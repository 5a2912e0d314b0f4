import { afterEach, describe, expect, it } from 'vitest';
import { parseLock } from '../lock/parse-lock.js';
import { generate } from '../project/generate.js';
import { kinoviProject } from '../test-utils/kinovi-project.js';

// Over real HTTP against the fake server: the engine's paid-path guarantees, end to end.
describe('the paid path over HTTP (fake kinovi)', () => {
  let setup: Awaited<ReturnType<typeof kinoviProject>> | undefined;
  afterEach(async () => {
    await setup?.cleanup();
    setup = undefined;
  });

  it('40% of polls and 20% of downloads failing: every image generated, each created once', async () => {
    setup = await kinoviProject(24, {
      pollFaultRate: 0.4,
      downloadTruncateRate: 0.1,
      downloadHtmlRate: 0.1,
      seed: 7,
    });
    const result = await generate({ config: setup.project.config, env: setup.env });
    expect(result.run?.counts).toMatchObject({ created: 24, failed: 0 });
    const { stats } = setup.fake;
    expect(stats.pollFaults).toBeGreaterThan(0);
    expect(stats.downloadFaults).toBeGreaterThan(0);
    expect(stats.creates).toBe(24);
    expect(Object.values(stats.createsByPrompt).every((n) => n === 1)).toBe(true);
    const lock = parseLock(await setup.project.read('pixlock.lock'), 'pixlock.lock');
    expect(Object.keys(lock.images)).toHaveLength(24);
    expect(lock.pending).toEqual({});
  });

  it('a server charging 100 per image against a budget of 30: each run stops after the first report and says so', async () => {
    setup = await kinoviProject(6, { chargePerTask: 100 }, 'budget: 30\n');
    const first = await generate({ config: setup.project.config, env: setup.env, concurrency: 1 });
    expect(first.run?.stoppedBy?.code).toBe('PROVIDER_OVERCHARGED');
    expect(first.run?.stoppedBy?.message).toMatch(/charged 100 credits for img-\d+, listed at 15/);
    expect(setup.fake.stats.creates).toBe(1);
    expect(first.run?.credits).toBe(100);
    const second = await generate({ config: setup.project.config, env: setup.env, concurrency: 1 });
    expect(second.run?.stoppedBy?.code).toBe('PROVIDER_OVERCHARGED');
    expect(setup.fake.stats.creates).toBe(2);
  });
});
