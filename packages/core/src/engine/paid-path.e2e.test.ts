import { afterEach, describe, expect, it } from 'vitest';
import { parseLock } from '../lock/parse-lock.js';
import { generate } from '../project/generate.js';
import { kinoviManifest, kinoviProject } from '../test-utils/kinovi-project.js';

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
  it('a server charging 100 per image, 4 creates allowed at once: the first report stops the run before a second create', async () => {
    // Without the budget's scout all four would be sent at list price and 400 spent.
    for (const budget of [30, 300]) {
      setup = await kinoviProject(6, { chargePerTask: 100, latencyMs: 100 }, `budget: ${budget}\n`);
      const run = await generate({ config: setup.project.config, env: setup.env, concurrency: 4 });
      expect(run.run?.stoppedBy?.code).toBe('PROVIDER_OVERCHARGED');
      expect(setup.fake.stats.creates).toBe(1);
      expect(setup.fake.stats.creditsCharged).toBe(100);
      expect(run.run?.counts).toMatchObject({ created: 1, skipped: 5 });
      await setup.cleanup();
      setup = undefined;
    }
  });

  it('at list price, a budget is used to the credit: 3 of 6 images for 45 credits, then the others wait', async () => {
    setup = await kinoviProject(6, {}, 'budget: 45\n');
    const run = await generate({ config: setup.project.config, env: setup.env, concurrency: 4 });
    expect(run.run?.counts).toMatchObject({ created: 3, skipped: 3 });
    expect(run.run?.results.filter((r) => r.skipReason === 'budget')).toHaveLength(3);
    expect(setup.fake.stats.creditsCharged).toBe(45);
    expect(run.run?.stoppedBy).toBeUndefined();
  });

  it('a poll answered about another task is polled through: each image gets its own task and bytes', async () => {
    setup = await kinoviProject(8, { pollForeignTaskRate: 0.4, latencyMs: 60, seed: 3 });
    const run = await generate({ config: setup.project.config, env: setup.env });
    expect(run.run?.counts).toMatchObject({ created: 8, failed: 0 });
    expect(setup.fake.stats.creates).toBe(8);
    expect(setup.fake.stats.pollFaults).toBeGreaterThan(0);
    const lock = parseLock(await setup.project.read('pixlock.lock'), 'pixlock.lock');
    const images = Object.values(lock.images);
    expect(new Set(images.map((i) => i.taskId)).size).toBe(8);
    expect(new Set(images.map((i) => i.original.sha256)).size).toBe(8);
    // The task each image recorded is the one the server made for its prompt.
    const byTask = new Map(setup.fake.tasks().map((t) => [t.taskId, t.prompt]));
    for (const [id, image] of Object.entries(lock.images))
      expect(byTask.get(image.taskId!)).toBe(`picture number ${Number(id.slice(4))}`);
  });

  it('a success listing no output is polled through; past the timeout the task stays pending and the next run resumes it without paying', async () => {
    setup = await kinoviProject(4, { emptyOutputRate: 0.5, seed: 5 });
    const first = await generate({ config: setup.project.config, env: setup.env });
    expect(first.run?.counts).toMatchObject({ created: 4, failed: 0 });
    expect(setup.fake.stats.creates).toBe(4);
    await setup.cleanup();

    setup = await kinoviProject(2, { emptyOutputRate: 1 });
    await setup.project.write(
      'pixlock.yaml',
      kinoviManifest(2).replace('timeout: 60000', 'timeout: 1500'),
    );
    const stuck = await generate({ config: setup.project.config, env: setup.env });
    expect(stuck.run?.counts).toMatchObject({ failed: 2 });
    expect(stuck.run?.results.map((r) => r.error?.code)).toEqual([
      'PROVIDER_TIMEOUT',
      'PROVIDER_TIMEOUT',
    ]);
    const pending = parseLock(await setup.project.read('pixlock.lock'), 'pixlock.lock').pending;
    expect(Object.keys(pending).sort()).toEqual(['img-000', 'img-001']);
    setup.fake.configure({ emptyOutputRate: 0 });
    const next = await generate({ config: setup.project.config, env: setup.env });
    expect(next.run?.counts).toMatchObject({ resumed: 2 });
    expect(setup.fake.stats.creates).toBe(2);
  });
});
