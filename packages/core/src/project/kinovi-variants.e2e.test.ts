import { afterEach, describe, expect, it } from 'vitest';
import { parseLock } from '../lock/parse-lock.js';
import { candidateSeed } from '../lock/task-key.js';
import { kinoviProject } from '../test-utils/kinovi-project.js';
import { check } from './check.js';
import { generate } from './generate.js';
import { pick } from './pick.js';

type Setup = Awaited<ReturnType<typeof kinoviProject>>;
let setup: Setup | undefined;
afterEach(async () => {
  await setup?.cleanup();
  setup = undefined;
});

describe('variants against the fake kinovi server over HTTP', () => {
  it('creates N tasks, each exactly once, records their distinct seeds, and pick calls nothing', async () => {
    setup = await kinoviProject(2);
    const s = setup;
    await s.project.write(
      'pixlock.yaml',
      (await s.project.read('pixlock.yaml')).replace(
        '    seed: 0\n',
        '    seed: 0\n    variants: 4\n',
      ),
    );
    const first = await generate({ config: s.project.config, env: s.env });
    expect(first.plan.credits).toBe(75);
    expect(first.run).toMatchObject({ credits: 75, counts: { created: 2, failed: 0 } });
    const tasks = s.fake.tasks();
    expect(tasks).toHaveLength(5);
    const variantTasks = tasks.filter((t) => t.prompt === 'picture number 0');
    expect(variantTasks.map((t) => t.seed).sort((a, b) => a! - b!)).toEqual(
      [1, 2, 3, 4].map((k) => candidateSeed(0, k)).sort((a, b) => a - b),
    );
    expect(new Set(variantTasks.map((t) => t.taskId)).size).toBe(4);

    const lock = parseLock(await s.project.read('pixlock.lock'), 'pixlock.lock');
    const entry = lock.images['img-000']!;
    expect(entry.candidates).toHaveLength(4);
    // Each candidate is the task the server made with that very seed.
    for (const c of entry.candidates!) {
      expect(variantTasks.find((t) => t.taskId === c.taskId)?.seed).toBe(c.seed);
      expect(c.credits).toBe(15);
    }
    expect(new Set(entry.candidates!.map((c) => c.original.sha256)).size).toBe(4);
    expect(lock.images['img-001']!.candidates).toBeUndefined();
    expect(lock.pending).toEqual({});
    // Outputs only for the chosen one: one download per task, one output per image.
    expect(s.fake.stats.downloads).toBe(5);

    const stats = { ...s.fake.stats };
    await pick(s.project.config, 'img-000', 4);
    const second = await generate({ config: s.project.config, env: s.env });
    expect(second.run?.counts.unchanged).toBe(2);
    expect(s.fake.stats.createCalls).toBe(stats.createCalls);
    expect(s.fake.stats.polls).toBe(stats.polls);
    expect(s.fake.stats.downloads).toBe(stats.downloads);
    expect((await check(s.project.config)).ok).toBe(true);
  });

  it('resumes each candidate a run left pending instead of paying for it again', async () => {
    setup = await kinoviProject(1, { latencyMs: 20 });
    const s = setup;
    await s.project.write(
      'pixlock.yaml',
      (await s.project.read('pixlock.yaml')).replace(
        '    seed: 0\n',
        '    seed: 0\n    variants: 3\n',
      ),
    );
    // Stop the first run as soon as two tasks exist: both are recorded as pending.
    const stop = new AbortController();
    let created = 0;
    const first = await generate({
      config: s.project.config,
      env: s.env,
      onEvent: (e) => {
        if (e.type === 'task-created' && ++created === 2) stop.abort();
      },
      signal: stop.signal,
    });
    expect(first.run?.interrupted).toBe(true);
    const pending = parseLock(await s.project.read('pixlock.lock'), 'pixlock.lock').pending;
    const paid = Object.entries(pending).filter(([, p]) => p.taskId !== undefined);
    expect(paid.length).toBeGreaterThanOrEqual(2);
    const before = s.fake.stats.creates;
    const again = await generate({ config: s.project.config, env: s.env });
    expect(again.run?.counts).toMatchObject({ failed: 0, skipped: 0 });
    // Only what was not yet created is created now; every (prompt, seed) exactly once.
    expect(s.fake.stats.creates - before).toBe(3 - before);
    const seeds = s.fake.tasks().map((t) => t.seed);
    expect(new Set(seeds).size).toBe(seeds.length);
    expect(seeds).toHaveLength(3);
    const entry = parseLock(await s.project.read('pixlock.lock'), 'pixlock.lock').images[
      'img-000'
    ]!;
    for (const [, p] of paid) expect(entry.candidates!.map((c) => c.taskId)).toContain(p.taskId);
  });
});
