import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLock } from '../lock/parse-lock.js';
import type { Lockfile } from '../lock/lockfile.js';
import { kinoviProject } from '../test-utils/kinovi-project.js';
import { sha256 } from '../util/sha256.js';
import { generate } from './generate.js';

let setup: Awaited<ReturnType<typeof kinoviProject>> | undefined;
afterEach(async () => {
  await setup?.cleanup();
  setup = undefined;
});

// sheet ← scene-a, sheet ← scene-b, scene-a ← banner; loose stands alone.
const manifest = (edit = '') => `version: 1
provider: { name: kinovi, model: nanobanana2, pollInterval: 10, timeout: 60000 }
outDir: out
concurrency: 4
defaults: { resolution: 1k, aspectRatio: "1:1", output: { format: png, width: 16 } }
images:
  sheet:
    prompt: character sheet
    seed: 1
  scene-a:
    prompt: scene a${edit}
    seed: 2
    references: [{ image: sheet }, https://example.com/style.jpg]
  scene-b:
    prompt: scene b${edit}
    seed: 3
    references: [{ image: sheet }]
  banner:
    prompt: banner
    seed: 4
    references: [{ image: scene-a }]
  loose:
    prompt: loose
    seed: 5
`;

async function bytesBehind(url: string): Promise<Buffer> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

describe('images built on images, against the fake kinovi over HTTP', () => {
  it('sends the result URL of an upstream task this run completed, and never uploads it', async () => {
    setup = await kinoviProject(0);
    await setup.project.write('pixlock.yaml', manifest());
    const result = await generate({ config: setup.project.config, env: setup.env });
    expect(result.run?.counts.created).toBe(5);
    const lock = await readLock(setup.project.dir);
    const tasks = new Map(setup.fake.tasks().map((t) => [t.prompt, t]));
    const sheet = tasks.get('character sheet')!;
    const refs = (prompt: string) => setup!.fake.stats.referencesByTask[tasks.get(prompt)!.taskId];
    // The upstream first, then the image's own references; both field names carry them.
    expect(refs('scene a')).toEqual([sheet.output![0]!.url, 'https://example.com/style.jpg']);
    expect(tasks.get('scene a')!.uploadedUrls).toEqual(tasks.get('scene a')!.imageUrls);
    expect(refs('scene b')).toEqual([sheet.output![0]!.url]);
    expect(refs('banner')).toEqual([tasks.get('scene a')!.output![0]!.url]);
    expect(refs('loose')).toEqual([]);
    expect(setup.fake.stats.uploads).toBe(0);
    // The bytes behind the URL are the upstream's original as the lock records it.
    expect(sha256(await bytesBehind(refs('scene b')![0]!))).toBe(
      lock.images.sheet!.original.sha256,
    );
    // Each dependent was created after its upstream had finished.
    for (const [down, up] of [
      ['scene a', 'character sheet'],
      ['banner', 'scene a'],
    ] as const) {
      expect(tasks.get(down)!.createTime).toBeGreaterThanOrEqual(tasks.get(up)!.completeTime!);
    }
    expect(lock.images.banner!.references).toEqual({
      'scene-a': lock.images['scene-a']!.original.sha256,
    });
  });

  it('uploads a kept original once for every image built on it, and cascades only downstream', async () => {
    setup = await kinoviProject(0);
    await setup.project.write('pixlock.yaml', manifest());
    await generate({ config: setup.project.config, env: setup.env });
    const before = await readLock(setup.project.dir);
    const createdBefore = setup.fake.stats.creates;

    // Both scenes change; the sheet does not, so it is not drawn again: its kept original is
    // uploaded, once, and serves both scenes. The banner follows scene-a; loose stays.
    await setup.project.write('pixlock.yaml', manifest(' at night'));
    const dry = await generate({ config: setup.project.config, env: setup.env, dryRun: true });
    const planned = Object.fromEntries(dry.plan.entries.map((e) => [e.id, e]));
    expect(planned.banner).toMatchObject({
      action: 'regenerate',
      reason: 'reference scene-a regenerated',
      credits: 15,
    });
    expect(planned.sheet!.action).toBe('unchanged');
    expect(planned.loose!.action).toBe('unchanged');
    expect(dry.plan.credits).toBe(45);

    const result = await generate({ config: setup.project.config, env: setup.env });
    expect(result.run?.counts.regenerated).toBe(3);
    expect(setup.fake.stats.creates - createdBefore).toBe(3);
    expect(setup.fake.stats.uploads).toBe(1);
    const tasks = new Map(setup.fake.tasks().map((t) => [t.prompt, t]));
    const refs = (prompt: string) => setup!.fake.stats.referencesByTask[tasks.get(prompt)!.taskId]!;
    const upload = refs('scene a at night')[0]!;
    expect(refs('scene b at night')).toEqual([upload]);
    expect(refs('banner')[0]).toBe(tasks.get('scene a at night')!.output![0]!.url);
    // The upload is the original, byte for byte: never a processed output.
    const sent = await bytesBehind(upload);
    expect(sha256(sent)).toBe(before.images.sheet!.original.sha256);
    const output = await readFile(path.join(setup.project.dir, 'out', 'sheet.png'));
    expect(sent.equals(output)).toBe(false);

    const after = await readLock(setup.project.dir);
    expect(after.images.sheet).toEqual(before.images.sheet);
    expect(after.images.loose).toEqual(before.images.loose);
    expect(after.images.banner!.original.sha256).not.toBe(before.images.banner!.original.sha256);
    const again = await generate({ config: setup.project.config, env: setup.env, dryRun: true });
    expect(again.plan.entries.every((e) => e.action === 'unchanged')).toBe(true);
  });

  it('a failed upstream task skips what is built on it; nothing is sent without its reference', async () => {
    // Every task fails: the sheet's failure must stop its three dependents from being sent.
    setup = await kinoviProject(0, { failRate: 1 });
    await setup.project.write('pixlock.yaml', manifest());
    const result = await generate({ config: setup.project.config, env: setup.env });
    const outcome = Object.fromEntries(result.run!.results.map((r) => [r.id, r]));
    expect(
      setup.fake
        .tasks()
        .map((t) => t.prompt)
        .sort(),
    ).toEqual(['character sheet', 'loose']);
    expect(outcome.sheet!.outcome).toBe('failed');
    for (const id of ['scene-a', 'scene-b', 'banner']) {
      expect(outcome[id]).toMatchObject({ outcome: 'skipped', skipReason: 'reference-failed' });
    }
    expect(outcome['scene-a']!.error!.message).toMatch(
      /^scene-a: not generated because its reference sheet failed: /,
    );
    expect(outcome.banner!.error!.message).toContain(
      'its reference scene-a was skipped (reference-failed)',
    );
  });
});

async function readLock(dir: string): Promise<Lockfile> {
  return parseLock(await readFile(path.join(dir, 'pixlock.lock'), 'utf8'), 'pixlock.lock');
}
