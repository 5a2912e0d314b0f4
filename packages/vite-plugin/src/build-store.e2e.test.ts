import { createHash } from 'node:crypto';
import { cp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { FAKE_S3_ACCESS_KEY_ID, startFakeS3, type FakeS3 } from '@pixlock/fake-s3';
import { parseLock, pushToStore } from '@pixlock/core';
import { build } from 'vite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import pixlock from './index.js';
import { builtImages } from './test-utils/built-assets.js';
import { copyExample, tempOutDir } from './test-utils/example-app.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('a Vite build on a fresh clone of a project whose outputs live in a store', () => {
  it('restores every image from the store and builds, encoding nothing and calling no provider', async () => {
    const s3: FakeS3 = await startFakeS3();
    cleanups.push(() => s3.close());
    // The plugin reads the endpoint, and the SDK its credentials, from process.env.
    vi.stubEnv('AWS_ACCESS_KEY_ID', FAKE_S3_ACCESS_KEY_ID);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'not-checked');
    vi.stubEnv('AWS_ENDPOINT_URL_S3', s3.endpoint);
    vi.stubEnv('AWS_REGION', 'us-east-1');

    // The team's clone: the example with its images, moved into the store (`store push`).
    const team = await copyExample();
    cleanups.push(team.cleanup);
    await team.edit(
      'pixlock.yaml',
      'outDir: generated\n',
      `outDir: generated\nstore: { url: "s3://${s3.bucket}/site", outputs: true }\n`,
    );
    const pushed = await pushToStore(team.config);
    expect(pushed.failed).toEqual([]);
    const lock = parseLock(await team.read('pixlock.lock'), 'pixlock.lock');
    const outputs = Object.values(lock.images).flatMap((entry) => entry.output.files);
    expect(outputs.length).toBeGreaterThan(5);

    // A CI runner's clone: manifest, lock and sources only; no outputs, no originals.
    const clone = await copyExample();
    cleanups.push(clone.cleanup);
    await cp(team.config, clone.config);
    await rm(path.join(clone.dir, 'generated'), { recursive: true, force: true });
    await rm(path.join(clone.dir, '.pixlock'), { recursive: true, force: true });
    const gets = s3.stats.requests.get;
    const out = await tempOutDir();
    cleanups.push(out.cleanup);
    await build({
      root: clone.dir,
      configFile: false,
      logLevel: 'silent',
      plugins: [pixlock({ mode: 'frozen', dts: false })],
      build: { outDir: out.dir, emptyOutDir: true },
    });

    // One GET per output, none for originals: nothing had to be encoded again.
    expect(s3.stats.requests.get - gets).toBe(outputs.length);
    const built = await builtImages(out.dir);
    expect(built.length).toBe(outputs.length);
    const locked = new Set(outputs.map((f) => f.sha256));
    for (const image of built) {
      const bytes = await readFile(path.join(out.dir, image.url.slice(1)));
      expect(locked.has(sha256(bytes))).toBe(true);
    }
  });
});
