import { readFile, rm, writeFile, mkdir, mkdtemp, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FAKE_S3_ACCESS_KEY_ID, startFakeS3, totalRequests, type FakeS3 } from '@pixlock/fake-s3';
import { parseLock } from '@pixlock/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runPixlockInProcess } from './test-utils/run-pixlock-in-process.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYzSecretKey/42';
const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLEsessionTOKEN+/=with/odd+chars';

/** A manifest on the placeholder provider; `store` is its store block (YAML lines) or none. */
function manifest(
  store: string,
  images = 'hero: { prompt: first, seed: 1 }\n  card: { prompt: second, seed: 2 }',
) {
  return `version: 1
provider: { name: placeholder }
outDir: out
${store}defaults: { resolution: 1k, aspectRatio: "1:1", output: { format: webp, widths: [16, 32] } }
images:
  ${images}
`;
}

let s3: FakeS3;
let root: string;
const saved: Record<string, string | undefined> = {};
// The SDK takes credentials from its chain, which reads process.env: set for these tests only.
const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: FAKE_S3_ACCESS_KEY_ID,
  AWS_SECRET_ACCESS_KEY: SECRET,
  AWS_SESSION_TOKEN: TOKEN,
};
beforeAll(async () => {
  for (const [k, v] of Object.entries(CREDENTIALS)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  root = await mkdtemp(path.join(tmpdir(), 'pixlock-store-cli-'));
});
afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await rm(root, { recursive: true, force: true });
});
let n = 0;
afterEach(async () => {
  await s3?.close();
});

async function setup(opts: { outputs?: boolean } = {}) {
  s3 = await startFakeS3();
  const dir = path.join(root, `p${n++}`);
  await mkdir(dir);
  const block = `store: { url: "s3://${s3.bucket}/site", outputs: ${opts.outputs ?? true} }\n`;
  const env = { AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_REGION: 'us-east-1' };
  const pixlock = (cwd: string, args: string[]) => runPixlockInProcess(cwd, args, env);
  return { dir, block, env, pixlock };
}

describe('pixlock store push and check --store (in process, against s3rver)', () => {
  it('moves an existing project into a store: push is idempotent, check --store gates', async () => {
    const { dir, block, pixlock } = await setup();
    await writeFile(path.join(dir, 'pixlock.yaml'), manifest(''));
    expect((await pixlock(dir, ['generate'])).code).toBe(0);
    await writeFile(path.join(dir, 'pixlock.yaml'), manifest(block));
    const before = await pixlock(dir, ['check', '--store']);
    expect(before.code).toBe(1);
    expect(before.stdout).toMatch(/lacks 8 of 8 objects/);
    const push = await pixlock(dir, ['store', 'push']);
    expect(push).toMatchObject({ code: 0 });
    expect(push.stdout).toMatch(/8 objects pushed, 0 already there, 0 failed/);
    expect(await readFile(path.join(dir, '.pixlock/originals/.gitignore'), 'utf8')).toMatch(
      /^\*$/m,
    );
    const puts = s3.stats.requests.put;
    const again = await pixlock(dir, ['store', 'push', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({
      command: 'store',
      ok: true,
      counts: { objects: 8, present: 8, pushed: 0, failed: 0 },
    });
    expect(s3.stats.requests.put).toBe(puts);
    const after = await pixlock(dir, ['check', '--store', '--json']);
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout)).toMatchObject({
      ok: true,
      counts: { objects: 8, missing: 0 },
    });
  });

  it('a push the store cut short is finished by the next one, nothing uploaded twice', async () => {
    const { dir, block, pixlock } = await setup();
    await writeFile(path.join(dir, 'pixlock.yaml'), manifest(''));
    expect((await pixlock(dir, ['generate'])).code).toBe(0);
    await writeFile(path.join(dir, 'pixlock.yaml'), manifest(block));
    // The outputs go up; the originals are refused (as a bucket policy would).
    s3.inject({ op: 'put', keyIncludes: '/originals/', status: 403, times: 1000 });
    const cut = await pixlock(dir, ['store', 'push', '--json']);
    expect(cut.code).toBe(1);
    const first = JSON.parse(cut.stdout) as { counts: { pushed: number; failed: number } };
    expect(first.counts.failed).toBeGreaterThanOrEqual(2);
    expect(first.counts.pushed + first.counts.failed).toBe(8);
    s3.clearFaults();
    const puts = s3.stats.requests.put;
    const rest = await pixlock(dir, ['store', 'push', '--json']);
    expect(rest.code).toBe(0);
    expect(JSON.parse(rest.stdout)).toMatchObject({
      counts: { objects: 8, present: first.counts.pushed, pushed: first.counts.failed, failed: 0 },
    });
    expect(s3.stats.requests.put - puts).toBe(first.counts.failed);
  });

  it('a shard whose store refuses its outputs exits 1 naming them; run again, it publishes', async () => {
    const { dir, pixlock } = await setup({ outputs: false });
    await writeFile(
      path.join(dir, 'pixlock.yaml'),
      manifest(`store: { url: "s3://${s3.bucket}/site", outputs: false }\n`),
    );
    expect((await pixlock(dir, ['generate'])).code).toBe(0);
    // Now the outputs are to be kept too: the shard (nothing to pay) has them to push.
    await writeFile(
      path.join(dir, 'pixlock.yaml'),
      manifest(`store: { url: "s3://${s3.bucket}/site", outputs: true }\n`),
    );
    s3.inject({ op: 'put', keyIncludes: '/outputs/', status: 403, times: 1000 });
    const cut = await pixlock(dir, ['generate', '--shard', '1/1']);
    expect(cut.code, cut.stderr).toBe(1);
    expect(cut.stderr).toMatch(
      /error STORE_UNPUSHED: shard 1\/1: 6 of 8 objects its lock names could not be pushed to s3:\/\/pixlock-test\/site, so its lock was not published/,
    );
    expect(cut.stderr).toMatch(
      /\n {2}out\/hero-16\.webp \(outputs\/[0-9a-f]{64}\): STORE_DENIED: /,
    );
    s3.clearFaults();
    const rerun = await pixlock(dir, ['generate', '--shard', '1/1']);
    expect(rerun.code, rerun.stderr).toBe(0);
    const merged = await pixlock(dir, ['merge']);
    expect(merged.code, merged.stderr).toBe(0);
    expect((await pixlock(dir, ['check', '--store'])).code).toBe(0);
  });

  it('restores a fresh clone (manifest and lock only) byte-identical with generate --frozen', async () => {
    const { dir, block, pixlock } = await setup();
    await writeFile(path.join(dir, 'pixlock.yaml'), manifest(block));
    expect((await pixlock(dir, ['generate'])).code).toBe(0);
    const clone = path.join(root, `clone${n++}`);
    await mkdir(clone);
    for (const f of ['pixlock.yaml', 'pixlock.lock'])
      await cp(path.join(dir, f), path.join(clone, f));
    const run = await pixlock(clone, ['generate', '--frozen']);
    expect(run.code).toBe(0);
    const lock = parseLock(await readFile(path.join(dir, 'pixlock.lock'), 'utf8'), 'pixlock.lock');
    for (const e of Object.values(lock.images))
      for (const f of e.output.files)
        expect(
          (await readFile(path.join(clone, f.path))).equals(await readFile(path.join(dir, f.path))),
        ).toBe(true);
    expect((await pixlock(clone, ['check'])).code).toBe(0);
  });

  it('a push from a clone without the files names each and exits 1', async () => {
    const { dir, block, pixlock } = await setup({ outputs: false });
    await writeFile(path.join(dir, 'pixlock.yaml'), manifest(''));
    expect((await pixlock(dir, ['generate'])).code).toBe(0);
    await writeFile(path.join(dir, 'pixlock.yaml'), manifest(block));
    await rm(path.join(dir, '.pixlock/originals'), { recursive: true });
    const push = await pixlock(dir, ['store', 'push']);
    expect(push.code).toBe(1);
    expect(push.stdout).toMatch(/0 objects pushed, 0 already there, 2 failed/);
    expect(push.stderr).toMatch(
      /\.pixlock\/originals\/[0-9a-f]{64}\.png: STORE_UNPUSHED: .* is not on this machine/,
    );
  });

  it('refuses a manifest-named endpoint the environment does not name, sending nothing', async () => {
    const { dir } = await setup();
    const block = `store:\n  url: s3://${s3.bucket}/site\n  endpoint: ${s3.endpoint}\n`;
    await writeFile(path.join(dir, 'pixlock.yaml'), manifest(block));
    const noEnv = (args: string[]) =>
      runPixlockInProcess(dir, args, { AWS_ENDPOINT_URL_S3: '', AWS_ENDPOINT_URL: '' });
    for (const args of [['generate'], ['store', 'push'], ['check', '--store']]) {
      const run = await noEnv(args);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toMatch(
        /pixlock\.yaml:6:\d+.*store\.endpoint would send your storage credentials/s,
      );
    }
    expect(totalRequests(s3.stats)).toBe(0);
  });

  it('never prints a credential or signature, whatever the store echoes back', async () => {
    const { dir, block, pixlock } = await setup();
    await writeFile(path.join(dir, 'pixlock.yaml'), manifest(''));
    expect((await pixlock(dir, ['generate'])).code).toBe(0);
    await writeFile(path.join(dir, 'pixlock.yaml'), manifest(block));
    s3.inject({ op: 'any', kind: 'echo-auth', times: 1000 });
    const runs = [
      await pixlock(dir, ['store', 'push']),
      await pixlock(dir, ['store', 'push', '--json']),
      await pixlock(dir, ['check', '--store']),
      await pixlock(dir, ['check', '--store', '--json']),
    ];
    for (const run of runs) {
      expect(run.code).not.toBe(0);
      const text = run.stdout + run.stderr;
      for (const secret of [
        SECRET,
        TOKEN,
        Buffer.from(SECRET).toString('base64'),
        'Signature=',
        'X-Amz-Signature',
      ]) {
        expect(text).not.toContain(secret);
      }
    }
    expect(s3.stats.faults).toBeGreaterThan(0);
    expect(await readFile(path.join(dir, 'pixlock.lock'), 'utf8')).not.toContain(SECRET);
  });

  it('prune never deletes from the store', async () => {
    const { dir, block, pixlock } = await setup();
    await writeFile(path.join(dir, 'pixlock.yaml'), manifest(block));
    expect((await pixlock(dir, ['generate'])).code).toBe(0);
    const oldLock = await readFile(path.join(dir, 'pixlock.lock'), 'utf8');
    await writeFile(
      path.join(dir, 'pixlock.yaml'),
      manifest(block, 'hero: { prompt: first, seed: 1 }'),
    );
    const prune = await pixlock(dir, ['prune']);
    expect(prune.code).toBe(0);
    expect(prune.stdout).toMatch(/card/);
    expect(s3.stats.requests.delete).toBe(0);
    // The store still holds the pruned image's objects (a shared store serves other branches).
    const other = path.join(root, `branch${n++}`);
    await mkdir(other);
    await writeFile(path.join(other, 'pixlock.yaml'), manifest(block));
    await writeFile(path.join(other, 'pixlock.lock'), oldLock);
    expect(await pixlock(other, ['check', '--store'])).toMatchObject({ code: 0 });
  });
});
