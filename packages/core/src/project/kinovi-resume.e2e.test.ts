import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLock } from '../lock/parse-lock.js';
import { createProvider } from '../providers/create-provider.js';
import { kinoviProject } from '../test-utils/kinovi-project.js';
import { generate } from './generate.js';
import { loadProject } from './load-project.js';
import { planProject } from './plan-project.js';

type Setup = Awaited<ReturnType<typeof kinoviProject>>;
let setup: Setup | undefined;
afterEach(async () => {
  await setup?.cleanup();
  setup = undefined;
});

/**
 * What a run leaves when the disk took a paid create's note but not its task id, even with the
 * reserve given back: a `sent` line with no `pending` line, and the task id said on stderr.
 */
async function paidButUnrecorded(s: Setup, id: string): Promise<string> {
  const project = await loadProject(s.project.config);
  const { plan } = await planProject(project);
  const entry = plan.entries.find((e) => e.id === id)!;
  const image = project.manifest.images.find((i) => i.id === id)!;
  const provider = await createProvider(project.manifest, s.env);
  const { taskId } = await provider.createTask(
    {
      id,
      model: project.manifest.provider.model,
      prompt: image.prompt,
      seed: entry.seed!,
      aspectRatio: image.aspectRatio,
      resolution: image.resolution,
      references: [],
    },
    { signal: new AbortController().signal },
  );
  const record = {
    generation: entry.generation!,
    provider: 'kinovi',
    seed: entry.seed!,
    credits: 15,
    createdAt: new Date().toISOString(),
  };
  await mkdir(path.join(s.project.dir, '.pixlock'), { recursive: true });
  await writeFile(
    path.join(s.project.dir, '.pixlock', 'journal.jsonl'),
    JSON.stringify({ sent: id, record }) + '\n',
  );
  return taskId;
}

describe('generate --resume <id>=<taskId> (a paid task whose id no disk took)', () => {
  it('without it the image is held; with it the task is polled, not paid again', async () => {
    setup = await kinoviProject(2);
    const taskId = await paidButUnrecorded(setup, 'img-000');
    expect(setup.fake.stats.creates).toBe(1);

    const held = await generate({ config: setup.project.config, env: setup.env });
    expect(held.run?.results.find((r) => r.id === 'img-000')?.skipReason).toBe('unconfirmed');
    expect(setup.fake.stats.creates).toBe(2);

    const resumed = await generate({
      config: setup.project.config,
      env: setup.env,
      resume: [`img-000=${taskId}`],
    });
    expect(resumed.run?.results.find((r) => r.id === 'img-000')?.outcome).toBe('resumed');
    expect(Object.values(setup.fake.stats.createsByPrompt)).toEqual([1, 1]);
    const lock = parseLock(await setup.project.read('pixlock.lock'), 'pixlock.lock');
    expect(lock.images['img-000']?.taskId).toBe(taskId);
    expect(lock.pending).toEqual({});

    // The same line pasted twice changes nothing and pays nothing.
    const again = await generate({
      config: setup.project.config,
      env: setup.env,
      resume: [`img-000=${taskId}`],
    });
    expect(again.run?.counts.unchanged).toBe(2);
    expect(setup.fake.stats.creates).toBe(2);
  });

  it('refuses a token for an unknown image, an unrecorded create, or another task than the one recorded', async () => {
    setup = await kinoviProject(2);
    const config = setup.project.config;
    const env = setup.env;
    await expect(generate({ config, env, resume: ['nope=task_1'] })).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringMatching(/no image "nope"/),
    });
    await expect(generate({ config, env, resume: ['img-001=task_1'] })).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringMatching(/no create of img-001 is recorded/),
    });
    await expect(generate({ config, env, resume: ['img-001'] })).rejects.toMatchObject({
      code: 'USAGE',
    });
    // A task recorded under another id: the token is a mistake, said as one.
    const record = {
      taskId: 'task_recorded',
      generation: 'a'.repeat(64),
      provider: 'kinovi',
      seed: 1,
      credits: 15,
      createdAt: new Date().toISOString(),
    };
    await mkdir(path.join(setup.project.dir, '.pixlock'), { recursive: true });
    await writeFile(
      path.join(setup.project.dir, '.pixlock', 'journal.jsonl'),
      JSON.stringify({ pending: 'img-001', task: record }) + '\n',
    );
    await expect(generate({ config, env, resume: ['img-001=task_other'] })).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringMatching(/has task task_recorded recorded/),
    });
    expect(setup.fake.stats.createCalls).toBe(0);
    expect(await setup.project.read('pixlock.lock').catch(() => 'none')).toBe('none');
  });
});
