import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeGemini, type FakeGemini } from '@pixlock/fake-gemini';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runPixlockInProcess } from './test-utils/run-pixlock-in-process.js';

// The gemini provider through the CLI, in process. Interactive: a generateContent whose
// answer is lost after Google took it may have been charged, so it is held, never sent again
// on its own, and `--force` pays for it once more on purpose. Batch: `--no-wait`.

const KEY = 'AIza-interactive-cli-key';
let fake: FakeGemini;
let dir: string;

beforeEach(async () => {
  fake = await startFakeGemini({ apiKeys: [KEY], generateLatencyMs: 2 });
  dir = await mkdtemp(path.join(tmpdir(), 'pixlock-gemini-cli-'));
  await writeFile(
    path.join(dir, 'pixlock.yaml'),
    `version: 1
provider: { name: gemini, model: gemini-3.1-flash-image }
outDir: out
defaults: { resolution: 1k, aspectRatio: "1:1", output: { format: png, width: 16 } }
images:
  hero: { prompt: a lighthouse at dawn, seed: 7 }
`,
  );
});
afterEach(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

async function pixlock(...argv: string[]) {
  const run = await runPixlockInProcess(dir, argv, {
    GEMINI_API_KEY: KEY,
    GOOGLE_API_KEY: undefined,
    GOOGLE_GEMINI_BASE_URL: fake.baseUrl,
  });
  return { code: run.code, out: run.stdout.trimEnd(), err: run.stderr.trimEnd() };
}

describe('gemini interactive: an answer lost after sending', () => {
  it('is held, not retried, and says it may have been charged; --force pays once', async () => {
    fake.injectOnce({ route: 'generateContent', afterProcessing: true, kind: 'drop' });
    const lost = await pixlock('generate');
    expect(lost.code).toBe(1);
    expect(lost.out).toMatch(
      /failed: hero: the answer to generateContent was lost \(.*\); Google may have made and charged it, so it was not sent again/,
    );
    expect(fake.stats.generateCalls).toBe(1);
    expect(fake.stats.paidByPrompt['a lighthouse at dawn']).toBe(1);

    const plan = await pixlock('plan');
    expect(plan.out).toMatch(
      /hero .*held: its create was sent at .* never answered, so it may be paid for/,
    );
    const held = await pixlock('generate');
    expect(held.code).toBe(1);
    expect(held.out).toMatch(
      /held: hero: an earlier run sent its create at .*gemini may have made and charged that task/,
    );
    expect(held.out).toContain('pixlock generate --force hero');
    expect(fake.stats.generateCalls).toBe(1);

    const forced = await pixlock('generate', '--force', 'hero');
    expect(forced.code).toBe(0);
    expect(forced.out).toMatch(/Done: 1 created, .* Spent: \$0\.067\./);
    expect(fake.stats.generateCalls).toBe(2);
    expect(fake.stats.paidByPrompt['a lighthouse at dawn']).toBe(2);
    expect((await pixlock('check')).code).toBe(0);
  });

  it('plans and reports in dollars, and never shows the key', async () => {
    const plan = await pixlock('plan');
    expect(plan.out).toMatch(/Estimated \$0\.067/);
    fake.configure({ echoKey: 'raw' });
    fake.injectOnce({ route: 'generateContent', status: 400 });
    const refused = await pixlock('generate', '--json');
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('[redacted]');
    for (const text of [refused.out, refused.err]) expect(text).not.toContain(KEY);
  });
});

describe('gemini batch: generate --no-wait', () => {
  it('submits, exits 0 with the jobs pending, and a later generate collects them', async () => {
    await writeFile(
      path.join(dir, 'pixlock.yaml'),
      `version: 1
provider: { name: gemini, model: gemini-3-pro-image, mode: batch, pollInterval: 10 }
outDir: out
defaults: { resolution: 1k, aspectRatio: "1:1", output: { format: png, width: 16 } }
images:
  a: { prompt: first, seed: 1 }
  b: { prompt: second, seed: 2 }
`,
    );
    fake.configure({ batchQueueMs: 3_600_000 });
    const json = await pixlock('generate', '--no-wait', '--json');
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.out) as { ok: boolean; counts: Record<string, number> };
    expect(doc.ok).toBe(true);
    expect(doc.counts).toMatchObject({ created: 0, submitted: 2, failed: 0 });
    const text = await pixlock('generate', '--no-wait');
    expect(text.code).toBe(0);
    expect(text.out).toContain('2 submitted');
    expect(text.out).toContain('submitted: 2 still at the provider');
    expect((await pixlock('check')).code).toBe(1);

    await fake.finishBatches();
    const collected = await pixlock('generate');
    expect(collected.code).toBe(0);
    expect(collected.out).toMatch(/Done: 0 created, 2 resumed/);
    expect(fake.stats.batchesCreated).toBe(1);
    expect((await pixlock('check')).code).toBe(0);
  });
});
