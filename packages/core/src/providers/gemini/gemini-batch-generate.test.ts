import { createHash } from 'node:crypto';
import { startFakeGemini, type FakeGemini, type FakeGeminiOptions } from '@pixlock/fake-gemini';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { generate, type GenerateOptions } from '../../project/generate.js';
import { loadProject } from '../../project/load-project.js';
import { planProject } from '../../project/plan-project.js';
import { FAST_FAKE, GEMINI_TEST_KEY } from '../../test-utils/gemini-harness.js';
import { tempProject, type TempProject } from '../../test-utils/temp-project.js';

// Batch mode through pixlock itself (manifest, plan, engine, lock) against fake-gemini on
// loopback: what is sent, what is paid, and what a later run picks up.

let fake: FakeGemini | undefined;
let project: TempProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  await fake?.close();
  project = undefined;
  fake = undefined;
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const everyPaidOnce = (g: FakeGemini) => Object.values(g.stats.paidByPrompt).every((n) => n === 1);

async function setup(images: string, options: Partial<FakeGeminiOptions> = {}, extra = '') {
  fake = await startFakeGemini({ ...FAST_FAKE, apiKeys: [GEMINI_TEST_KEY], ...options });
  project = await tempProject({
    'pixlock.yaml': `version: 1
provider: { name: gemini, model: gemini-3-pro-image, mode: batch, pollInterval: 10 }
outDir: out
${extra}defaults: { resolution: 1k, aspectRatio: "1:1", output: { format: png, width: 16 } }
images:
${images}`,
  });
  const server = fake;
  const run = (over: Partial<GenerateOptions> = {}) =>
    generate({
      config: project!.config,
      env: { GEMINI_API_KEY: GEMINI_TEST_KEY, GOOGLE_GEMINI_BASE_URL: server.baseUrl },
      ...over,
    });
  return { fake: server, project, run };
}

describe('gemini batch mode through generate', () => {
  it("sends a run's creates as batch jobs, each field mapped, each image paid once at half price", async () => {
    const { fake, project, run } = await setup(
      `  fox: { prompt: a red fox, seed: 1, negativePrompt: "text, watermark", aspectRatio: "16:9", resolution: 2k }
  whale: { prompt: a blue whale, seed: 4294967295, references: [ref.png] }
  owl: { prompt: a green owl, seed: 5, variants: 2 }
  cub: { prompt: the fox cub, seed: 9, references: [{ image: fox }] }
`,
    );
    const ref = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#123456' } })
      .png()
      .toBuffer();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${project.dir}/ref.png`, ref);

    const planned = await planProject(await loadProject(project.config), {});
    // 2K and 1K cost the same on 3 Pro Image; batch is half: 5 images at $0.067.
    expect(planned.plan).toMatchObject({ credits: 0.335, currency: 'usd' });

    const first = await run();
    expect(first.run?.counts).toMatchObject({ created: 4, failed: 0 });
    expect(first.run).toMatchObject({ credits: 0.335, currency: 'usd' });
    expect(fake.stats.usdCharged).toBe(0.335);
    // Each request once: the owl's two candidates are two requests.
    expect({ ...fake.stats.paidByPrompt }).toEqual({
      'a red fox\n\nAvoid: text, watermark': 1,
      'a blue whale': 1,
      'a green owl': 2,
      'the fox cub': 1,
    });
    // The four independent requests in one job (a keyed JSONL file), the image built on fox
    // in a second (inline: one request) once fox was in.
    expect(fake.batches().map((b) => b.requests)).toEqual([4, 1]);
    expect(fake.files().filter((f) => f.source === 'UPLOADED')).toHaveLength(1);

    const sent = new Map(fake.generations().map((g) => [g.prompt, g]));
    expect(sent.get('a red fox\n\nAvoid: text, watermark')).toMatchObject({
      aspectRatio: '16:9',
      imageSize: '2K',
      seed: 1,
      mode: 'batch',
    });
    // Seeds are int32 on the wire: 2^32 - 1 goes as -1.
    expect(sent.get('a blue whale')).toMatchObject({ seed: -1, imageSize: '1K' });
    expect(sent.get('a blue whale')!.references.map((r) => r.sha256)).toEqual([sha(ref)]);
    const owls = fake.generations().filter((g) => g.prompt === 'a green owl');
    expect(new Set(owls.map((g) => g.seed)).size).toBe(2);
    const lock = first.project.lock;
    expect(sent.get('the fox cub')!.references.map((r) => r.sha256)).toEqual([
      lock.images.fox!.original.sha256,
    ]);
    for (const entry of Object.values(lock.images)) {
      expect(entry.taskId).toMatch(/^batches\/[A-Za-z0-9_-]+#\d+$/);
    }
    expect(lock.pending).toEqual({});

    const again = await run();
    expect(again.run?.counts.created).toBe(0);
    expect(fake.stats.batchesCreated).toBe(2);
  });

  it('--no-wait submits and returns; a later run collects what is done, creating nothing twice', async () => {
    const { fake, run } = await setup(
      '  a: { prompt: first, seed: 1 }\n  b: { prompt: second, seed: 2 }\n  c: { prompt: third, references: [{ image: a }] }\n',
      { batchQueueMs: 3_600_000 },
    );
    const submitted = await run({ noWait: true });
    expect(submitted.run?.results.map((r) => [r.id, r.outcome, r.skipReason])).toEqual([
      ['a', 'submitted', undefined],
      ['b', 'submitted', undefined],
      ['c', 'skipped', 'reference-failed'],
    ]);
    expect(Object.keys(submitted.project.lock.pending).sort()).toEqual(['a', 'b']);
    // Still queued: each task asked once, nothing new sent.
    const still = await run({ noWait: true });
    expect(still.run?.counts.submitted).toBe(2);
    expect(fake.stats.batchesCreated).toBe(1);

    await fake.finishBatches();
    const collected = await run({ noWait: true });
    expect(collected.run?.results.map((r) => [r.id, r.outcome])).toEqual([
      ['a', 'resumed'],
      ['b', 'resumed'],
      ['c', 'submitted'],
    ]);
    await fake.finishBatches();
    const last = await run();
    expect(last.run?.results.map((r) => r.outcome)).toEqual(['unchanged', 'unchanged', 'resumed']);
    expect(last.project.lock.pending).toEqual({});
    expect(fake.stats.batchesCreated).toBe(2);
    expect(everyPaidOnce(fake)).toBe(true);
    expect(Object.keys(fake.stats.paidByPrompt)).toHaveLength(3);
  });

  it('fails only the images whose requests failed inside a job; the next run draws those again', async () => {
    const { fake, run } = await setup(
      '  a: { prompt: first, seed: 1 }\n  b: { prompt: second, seed: 2 }\n  c: { prompt: third, seed: 3 }\n',
    );
    fake.injectBatchFate({ failRequests: [1] });
    const first = await run();
    expect(first.run?.counts).toMatchObject({ created: 2, failed: 1 });
    const failed = first.run!.results.find((r) => r.outcome === 'failed')!;
    expect(failed.error?.message).toMatch(
      /its request in batch batches\/\w+ failed: Internal error/,
    );
    // Not charged, so spent is two images.
    expect(first.run?.credits).toBe(0.134);
    const second = await run();
    expect(second.run?.counts).toMatchObject({ created: 1, failed: 0 });
    expect(fake.stats.batchesCreated).toBe(2);
    expect(everyPaidOnce(fake)).toBe(true);
  });

  it('fails the images of a job that ended FAILED or EXPIRED, paying nothing; the next run sends them again', async () => {
    const { fake, run } = await setup(
      '  a: { prompt: first, seed: 1 }\n  b: { prompt: second, seed: 2 }\n',
    );
    fake.injectBatchFate({ end: 'BATCH_STATE_EXPIRED' });
    const first = await run();
    expect(first.run?.counts.failed).toBe(2);
    expect(first.run?.results[0]?.error?.message).toContain('ended BATCH_STATE_EXPIRED');
    expect(fake.stats.usdCharged).toBe(0);
    const second = await run();
    expect(second.run?.counts.created).toBe(2);
    expect(everyPaidOnce(fake)).toBe(true);
  });

  it('budgets in dollars: the run stops creating before passing the budget, at the batch price', async () => {
    const { fake, run } = await setup(
      '  a: { prompt: first, seed: 1 }\n  b: { prompt: second, seed: 2 }\n  c: { prompt: third, seed: 3 }\n',
      {},
      'budget: 0.14\n',
    );
    const first = await run();
    expect(first.run?.counts).toMatchObject({ created: 2, skipped: 1 });
    expect(first.run?.results.find((r) => r.outcome === 'skipped')?.skipReason).toBe('budget');
    expect(first.run?.credits).toBe(0.134);
    // No scout: the API reports no cost, so both went in one job.
    expect(fake.stats.batchesCreated).toBe(1);
  });

  it('collects jobs already submitted when the manifest switches to interactive, paying nothing more', async () => {
    const { fake, project, run } = await setup(
      '  a: { prompt: first, seed: 1 }\n  b: { prompt: second, seed: 2 }\n',
      { batchQueueMs: 3_600_000 },
    );
    expect((await run({ noWait: true })).run?.counts.submitted).toBe(2);
    const text = await project.read('pixlock.yaml');
    await project.write('pixlock.yaml', text.replace('mode: batch', 'mode: interactive'));
    await fake.finishBatches();
    const switched = await run();
    expect(switched.run?.counts).toMatchObject({ resumed: 2, created: 0 });
    expect(fake.stats.generateCalls).toBe(0);
    expect(everyPaidOnce(fake)).toBe(true);
  });
});
