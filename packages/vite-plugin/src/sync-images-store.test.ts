import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FAKE_S3_ACCESS_KEY_ID, startFakeS3, type FakeS3 } from '@pixlock/fake-s3';
import { generate, parseLock } from '@pixlock/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syncImages } from './sync-images.js';

// The plugin reads the store's endpoint and the SDK its credentials from process.env.
const ENV_NAMES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_ENDPOINT_URL_S3',
  'AWS_REGION',
] as const;
let saved: Record<string, string | undefined>;
let s3: FakeS3;
let root: string;
beforeEach(async () => {
  saved = Object.fromEntries(ENV_NAMES.map((n) => [n, process.env[n]]));
  s3 = await startFakeS3();
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: FAKE_S3_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: 'not-checked',
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_REGION: 'us-east-1',
  });
  root = await mkdtemp(path.join(tmpdir(), 'pixlock-vite-store-'));
});
afterEach(async () => {
  for (const [n, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[n];
    else process.env[n] = v;
  }
  await s3.close();
  await rm(root, { recursive: true, force: true });
});

describe('the Vite plugin on a fresh clone of a project with a store', () => {
  it('restores the outputs the lock names from the store, byte-identical', async () => {
    const manifest = `version: 1
provider: { name: placeholder }
outDir: src/assets/generated
store: { url: "s3://${s3.bucket}/site", outputs: true }
defaults: { resolution: 1k, aspectRatio: "1:1", output: { format: webp, widths: [16, 32] } }
images:
  hero: { prompt: first, seed: 1 }
`;
    const first = path.join(root, 'first');
    const clone = path.join(root, 'clone');
    await mkdir(first);
    await mkdir(clone);
    await writeFile(path.join(first, 'pixlock.yaml'), manifest);
    const made = await generate({ config: path.join(first, 'pixlock.yaml') });
    expect(made.run?.unpushed).toBeUndefined();
    const lockText = await readFile(path.join(first, 'pixlock.lock'), 'utf8');
    await writeFile(path.join(clone, 'pixlock.yaml'), manifest);
    await writeFile(path.join(clone, 'pixlock.lock'), lockText);
    const gets = s3.stats.requests.get;
    const logs: string[] = [];
    const outcome = await syncImages({
      config: path.join(clone, 'pixlock.yaml'),
      frozen: true,
      placeholderFallback: false,
      logger: { info: (m) => logs.push(m), warn: (m) => logs.push(m) },
    });
    expect(outcome.failed).toEqual([]);
    expect(outcome.blocked).toEqual([]);
    const files = parseLock(lockText, 'pixlock.lock').images.hero!.output.files;
    expect(s3.stats.requests.get - gets).toBe(files.length);
    for (const f of files) {
      const restored = await readFile(path.join(clone, f.path));
      expect(restored.equals(await readFile(path.join(first, f.path)))).toBe(true);
    }
  });
});
