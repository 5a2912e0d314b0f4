import { afterEach, describe, expect, it } from 'vitest';
import { parseLock } from '../lock/parse-lock.js';
import { kinoviProject } from '../test-utils/kinovi-project.js';
import { check } from './check.js';
import { generate } from './generate.js';
import { loadProject } from './load-project.js';
import { planProject } from './plan-project.js';
import { createJournal } from '../journal/create-journal.js';
import { projectFiles } from './project-store.js';
import { runPlan } from '../engine/run-plan.js';
import { sharpCodec } from '../codec/sharp-codec.js';
import { kinoviProvider } from '../providers/kinovi/kinovi-provider.js';

type Setup = Awaited<ReturnType<typeof kinoviProject>>;
let setup: Setup | undefined;
afterEach(async () => {
  await setup?.cleanup();
  setup = undefined;
});

const everyPromptPaidOnce = (s: Setup, n: number) => {
  const counts = Object.values({ ...s.fake.stats.createsByPrompt });
  expect(counts).toHaveLength(n);
  expect(counts.every((c) => c === 1)).toBe(true);
};

describe('generate against the fake kinovi server over HTTP', () => {
  it('generates, records credits from creditsUsed, and pays nothing on the second run', async () => {
    setup = await kinoviProject(3);
    const first = await generate({ config: setup.project.config, env: setup.env });
    expect(first.plan.credits).toBe(45);
    expect(first.run).toMatchObject({ credits: 45, usd: 0.225, counts: { created: 3 } });
    const second = await generate({ config: setup.project.config, env: setup.env });
    expect(second.run?.counts.unchanged).toBe(3);
    expect(setup.fake.stats.creates).toBe(3);
    expect(setup.fake.stats.creditsCharged).toBe(45);
    const lock = parseLock(await setup.project.read('pixlock.lock'), 'pixlock.lock');
    expect(lock.images['img-000']).toMatchObject({
      provider: 'kinovi',
      credits: 15,
      taskId: expect.any(String),
    });
    expect(JSON.stringify(lock)).not.toContain('test-key');
  });

  it('never goes over --max-credits; the rest are skipped for budget, not failed', async () => {
    setup = await kinoviProject(5);
    const result = await generate({ config: setup.project.config, env: setup.env, maxCredits: 40 });
    expect(result.run?.counts).toMatchObject({ created: 2, skipped: 3, failed: 0 });
    expect(result.run?.results.filter((r) => r.skipReason === 'budget')).toHaveLength(3);
    expect(setup.fake.stats.creditsCharged).toBe(30);
  });

  it('honours the manifest budget too', async () => {
    setup = await kinoviProject(3, {}, 'budget: 15\n');
    const result = await generate({ config: setup.project.config, env: setup.env });
    expect(result.run?.counts).toMatchObject({ created: 1, skipped: 2 });
  });

  it('stops the whole run on 401 and says how to set the key', async () => {
    setup = await kinoviProject(4);
    const result = await generate({
      config: setup.project.config,
      env: { ...setup.env, KINOVI_API_KEY: 'wrong-key' },
      concurrency: 1,
    });
    expect(result.run?.stoppedBy).toMatchObject({
      code: 'PROVIDER_AUTH',
      message: expect.stringMatching(/KINOVI_API_KEY/),
    });
    expect(setup.fake.stats.createCalls).toBe(1);
    expect(result.run?.counts).toMatchObject({ failed: 1, skipped: 3 });
    expect(JSON.stringify(result.run)).not.toContain('wrong-key');
  });

  it('on 402 stops new creates, lets tasks in flight finish, and reports required and available', async () => {
    setup = await kinoviProject(6, { credits: 45, latencyMs: 100 });
    const result = await generate({ config: setup.project.config, env: setup.env, concurrency: 4 });
    expect(result.run?.stoppedBy?.code).toBe('PROVIDER_CREDITS');
    expect(result.run?.stoppedBy?.message).toMatch(/required 15.*available 0|15.*0/);
    expect(result.run?.counts.created).toBe(3);
    expect(setup.fake.stats.creditsCharged).toBe(45);
  });

  it('resumes a task recorded by an interrupted run instead of paying again', async () => {
    setup = await kinoviProject(2, { latencyMs: 300 });
    const controller = new AbortController();
    const first = await generate({
      config: setup.project.config,
      env: setup.env,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'task-created' && setup!.fake.stats.creates === 2)
          controller.abort(new Error('ctrl-c'));
      },
    });
    expect(first.run?.counts.interrupted).toBe(2);
    const pending = parseLock(await setup.project.read('pixlock.lock'), 'pixlock.lock').pending;
    expect(Object.keys(pending)).toEqual(['img-000', 'img-001']);

    const planned = await generate({ config: setup.project.config, env: setup.env, dryRun: true });
    expect(planned.plan.credits).toBe(0);
    const second = await generate({ config: setup.project.config, env: setup.env });
    expect(second.run?.counts).toMatchObject({ resumed: 2, created: 0 });
    expect(setup.fake.stats.creates).toBe(2);
    everyPromptPaidOnce(setup, 2);
    expect((await check(setup.project.config)).ok).toBe(true);
  });

  it('holds an image whose create answer was lost: no run pays for it again until --force', async () => {
    setup = await kinoviProject(2);
    setup.fake.injectOnce({ route: 'createTask', kind: 'drop', afterProcessing: true });
    const first = await generate({ config: setup.project.config, env: setup.env });
    expect(first.run?.counts).toMatchObject({ created: 1, failed: 1 });
    const lost = first.run!.results.find((r) => r.outcome === 'failed')!;
    expect(lost.error?.code).toBe('PROVIDER_CREATE_UNCONFIRMED');
    // The server made and charged both; pixlock heard of one.
    expect(setup.fake.stats).toMatchObject({ createCalls: 2, creates: 2, creditsCharged: 30 });
    const record = parseLock(await setup.project.read('pixlock.lock'), 'pixlock.lock').pending[
      lost.id
    ];
    expect(record).toMatchObject({ provider: 'kinovi', credits: 15 });
    expect(record?.taskId).toBeUndefined();

    // Every create of that run settled: no journal left behind.
    await expect(setup.project.read('.pixlock/creating.jsonl')).rejects.toThrow();
    // Held images are not provider work: no key is needed to say so.
    const second = await generate({
      config: setup.project.config,
      env: { ...setup.env, KINOVI_API_KEY: '' },
    });
    expect(second.plan.entries.find((e) => e.id === lost.id)).toMatchObject({
      action: 'create',
      credits: 0,
      unconfirmedSince: record!.createdAt,
    });
    const held = second.run!.results.find((r) => r.id === lost.id);
    expect(held).toMatchObject({
      outcome: 'skipped',
      skipReason: 'unconfirmed',
      error: { code: 'PROVIDER_CREATE_UNCONFIRMED' },
    });
    expect(held?.error?.message).toContain(`pixlock generate --force ${lost.id}`);
    // A frozen CI run says the same, not "run without --frozen".
    const frozen = await generate({ config: setup.project.config, env: setup.env, frozen: true });
    expect(frozen.run!.results.find((r) => r.id === lost.id)?.skipReason).toBe('unconfirmed');
    expect(setup.fake.stats.createCalls).toBe(2);

    const forced = await generate({
      config: setup.project.config,
      env: setup.env,
      force: [lost.id],
    });
    expect(forced.run?.counts).toMatchObject({ regenerated: 0, created: 1, failed: 0 });
    expect(setup.fake.stats.creates).toBe(3);
    expect(parseLock(await setup.project.read('pixlock.lock'), 'pixlock.lock').pending).toEqual({});
    expect((await check(setup.project.config)).ok).toBe(true);
  });

  it('holds an image whose task id could not be written after its create', async () => {
    setup = await kinoviProject(1);
    const project = await loadProject(setup.project.config);
    const { plan } = await planProject(project);
    const real = projectFiles(project);
    const run = await runPlan({
      manifest: project.manifest,
      plan,
      lock: project.lock,
      provider: kinoviProvider({
        apiKey: 'test-key',
        baseUrl: setup.fake.baseUrl,
        pollIntervalMs: 10,
        timeoutMs: 10_000,
      }),
      // The disk refuses the lock write that would record the task id.
      files: {
        ...real,
        lock: { writeLock: () => Promise.reject(new Error('ENOSPC: no space left')) },
      },
      codec: sharpCodec(),
      journal: createJournal(project.paths.journal),
    });
    expect(run.results[0]).toMatchObject({ outcome: 'failed' });
    expect(run.results[0]?.error?.message).toContain('ENOSPC');
    expect(setup.fake.stats.creates).toBe(1);

    const next = await generate({ config: setup.project.config, env: setup.env });
    expect(next.run?.results[0]).toMatchObject({ outcome: 'skipped', skipReason: 'unconfirmed' });
    expect(setup.fake.stats.createCalls).toBe(1);
  });

  it('lets a create already sent finish on Ctrl-C and records it, so the next run resumes it', async () => {
    setup = await kinoviProject(1);
    setup.fake.injectOnce({ route: 'createTask', delayMs: 400 });
    const controller = new AbortController();
    const running = generate({
      config: setup.project.config,
      env: setup.env,
      signal: controller.signal,
    });
    for (let i = 0; setup.fake.stats.createCalls === 0; i++) {
      if (i > 500) throw new Error('the create never arrived');
      await new Promise((r) => setTimeout(r, 5));
    }
    controller.abort(new Error('ctrl-c'));
    const first = await running;
    expect(first.run?.counts.interrupted).toBe(1);
    const pending = parseLock(await setup.project.read('pixlock.lock'), 'pixlock.lock').pending;
    expect(pending['img-000']?.taskId).toBe(setup.fake.tasks()[0]!.taskId);

    const second = await generate({ config: setup.project.config, env: setup.env });
    expect(second.run?.counts).toMatchObject({ resumed: 1, created: 0 });
    expect(setup.fake.stats).toMatchObject({ createCalls: 1, creates: 1 });
  });

  it('creates again when a recorded task is lost (404) or failed', async () => {
    setup = await kinoviProject(1);
    await setup.project.write(
      'pixlock.lock',
      `lockfileVersion: 1\nimages: {}\npending:\n  img-000:\n    taskId: task_gone\n    generation: ${(await generate({ config: setup.project.config, env: setup.env, dryRun: true })).plan.entries[0]!.generation}\n    provider: kinovi\n    seed: 0\n    credits: 15\n    createdAt: x\n`,
    );
    const result = await generate({ config: setup.project.config, env: setup.env });
    expect(result.run?.counts).toMatchObject({ created: 1, failed: 0 });
    expect(setup.fake.stats.creates).toBe(1);
  });

  it('generates 200 images through 20% 429, 5% 500 and 10% truncated downloads, each paid exactly once', async () => {
    setup = await kinoviProject(200, {
      rate429: 0.2,
      rate500: 0.05,
      downloadTruncateRate: 0.1,
      concurrencyLimit: 8,
      latencyMs: 10,
      seed: 7,
    });
    const result = await generate({ config: setup.project.config, env: setup.env, concurrency: 8 });
    expect(result.run?.counts).toMatchObject({ created: 200, failed: 0 });
    expect(setup.fake.stats.creates429).toBeGreaterThan(20);
    expect(setup.fake.stats.creates5xx).toBeGreaterThan(3);
    expect(setup.fake.stats.downloadFaults).toBeGreaterThan(5);
    everyPromptPaidOnce(setup, 200);
    expect(setup.fake.stats.creditsCharged).toBe(200 * 15);
    expect((await check(setup.project.config)).ok).toBe(true);
  }, 120_000);
});

describe('runs that do not need the provider', () => {
  it('need no key: --frozen and reprocess-only runs work without KINOVI_API_KEY', async () => {
    setup = await kinoviProject(2);
    await generate({ config: setup.project.config, env: setup.env });
    await setup.project.remove('out/img-000.png');
    const noKey = { KINOVI_BASE_URL: setup.env.KINOVI_BASE_URL };
    const restored = await generate({ config: setup.project.config, env: noKey });
    expect(restored.run?.counts).toMatchObject({ restored: 1, unchanged: 1, failed: 0 });
    const text = await setup.project.read('pixlock.yaml');
    await setup.project.write('pixlock.yaml', text + '  img-new:\n    prompt: new\n');
    const frozen = await generate({ config: setup.project.config, env: noKey, frozen: true });
    expect(frozen.run?.results.find((r) => r.id === 'img-new')).toMatchObject({
      outcome: 'skipped',
      skipReason: 'frozen',
    });
    await expect(generate({ config: setup.project.config, env: noKey })).rejects.toThrow(
      /KINOVI_API_KEY/,
    );
  });
});
