import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLock } from '../lock/parse-lock.js';
import { generate } from '../project/generate.js';
import { startStoreHarness, type StoreHarness } from '../remote-store/test-utils/store-harness.js';
import { tempGitRepo, type TempGitRepo } from '../test-utils/temp-git-repo.js';
import { sha256 } from '../util/sha256.js';
import { reviewProject } from './review-project.js';

let repo: TempGitRepo | undefined;
let h: StoreHarness | undefined;
let savedEndpoint: string | undefined;
afterEach(async () => {
  if (savedEndpoint === undefined) delete process.env.AWS_ENDPOINT_URL_S3;
  else process.env.AWS_ENDPOINT_URL_S3 = savedEndpoint;
  await repo?.cleanup();
  await h?.close();
  repo = undefined;
  h = undefined;
});

describe('review of a project whose originals are in a store', () => {
  it('shows the base image from the store when the local cache lacks its original', async () => {
    h = await startStoreHarness();
    // Review reads the store's endpoint from the process's environment, as the CLI does.
    savedEndpoint = process.env.AWS_ENDPOINT_URL_S3;
    process.env.AWS_ENDPOINT_URL_S3 = h.s3.endpoint;
    repo = await tempGitRepo();
    const manifest = `version: 1
provider: { name: placeholder }
outDir: out
store: { url: "s3://${h.s3.bucket}/review" }
defaults: { resolution: 1k, aspectRatio: "1:1", output: { format: webp, width: 64 } }
images:
  a: { prompt: a paper plane at dusk, seed: 1 }
`;
    // Only the manifest and the lock are committed: the originals are in the store.
    await repo.write('.gitignore', 'out/\n.pixlock/\n');
    await repo.write('pixlock.yaml', manifest);
    const config = path.join(repo.dir, 'pixlock.yaml');
    await generate({ config });
    repo.commit('base');
    await repo.write('pixlock.yaml', manifest.replace('at dusk', 'at dawn'));
    await generate({ config });
    await rm(path.join(repo.dir, '.pixlock/originals'), { recursive: true });
    const out = path.join(repo.dir, '..', `${path.basename(repo.dir)}-report`);
    const before = repo.git('status', '--porcelain', '--ignored');
    try {
      const { review } = await reviewProject(config, { out });
      // Fetched, shown, and kept nowhere in the project.
      expect(repo.git('status', '--porcelain', '--ignored')).toBe(before);
      expect(existsSync(path.join(repo.dir, '.pixlock/originals'))).toBe(false);
      const base = review.images.find((i) => i.id === 'a')!.base!.preview!;
      expect(base).toMatchObject({ from: 'original', width: 1024, height: 1024 });
      const shown = await readFile(path.join(out, (base as { src: string }).src));
      const baseLock = parseLock(repo.git('show', 'HEAD:pixlock.lock'), 'base');
      expect(sha256(shown)).toBe(baseLock.images.a!.original.sha256);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
