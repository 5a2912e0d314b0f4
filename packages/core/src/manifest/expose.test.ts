import { afterEach, describe, expect, it } from 'vitest';
import { isPixlockError } from '../errors.js';
import { generationHash, generationInputs, outputHash } from '../plan/hashes.js';
import { tempProject, type TempProject } from '../test-utils/temp-project.js';
import { loadManifest } from './load-manifest.js';

let project: TempProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

const HEAD = 'version: 1\nprovider:\n  name: placeholder\n';

describe('expose', () => {
  it("applies the defaults' list to images without their own, which replaces it", async () => {
    project = await tempProject({
      'pixlock.yaml': `${HEAD}defaults:\n  expose: [prompt]\nimages:\n  a:\n    prompt: x\n  b:\n    prompt: y\n    expose: [seed, taskId, seed]\n  c:\n    prompt: z\n    expose: []\n`,
    });
    const m = await loadManifest(project.config);
    expect(m.images.map((i) => [i.id, i.expose])).toEqual([
      ['a', ['prompt']],
      ['b', ['seed', 'taskId']],
      ['c', undefined],
    ]);
  });

  it('names an unknown field at its line, with the near name', async () => {
    project = await tempProject({
      'pixlock.yaml': `${HEAD}images:\n  a:\n    prompt: x\n    expose: [prompt, seeds]\n`,
    });
    const error = await loadManifest(project.config).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isPixlockError(error, 'MANIFEST_INVALID')).toBe(true);
    const [d] = (error as { diagnostics: { line: number; message: string }[] }).diagnostics;
    expect(d).toMatchObject({ line: 7 });
    expect(d!.message).toContain('"seeds" is not allowed here');
  });

  it('changes neither the generation nor the output hash: nothing is redrawn or remade', async () => {
    project = await tempProject({
      'pixlock.yaml': `${HEAD}images:\n  a:\n    prompt: x\n`,
    });
    const before = (await loadManifest(project.config)).images[0]!;
    await project.write(
      'pixlock.yaml',
      `${HEAD}images:\n  a:\n    prompt: x\n    expose: [prompt, negativePrompt, seed, taskId]\n`,
    );
    const after = (await loadManifest(project.config)).images[0]!;
    expect(after.expose).toHaveLength(4);
    const provider = { name: 'placeholder', model: 'm' };
    const gen = (i: typeof before) =>
      generationHash(generationInputs(i, provider, 1, () => undefined));
    expect(gen(after)).toBe(gen(before));
    expect(outputHash(after.output)).toBe(outputHash(before.output));
  });
});
