import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseLock } from '@pixlock/core';
import { build } from 'vite';
import { afterEach, describe, expect, it } from 'vitest';
import pixlock from './index.js';
import { copyExample, tempOutDir, type ExampleCopy } from './test-utils/example-app.js';

// Prompts name product plans and clients: a production bundle carries no prompt, negative
// prompt, seed or task id unless the manifest lists the field under `expose`.

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

const SEED = 918273645;
const NEGATIVE = 'codename-bluebird internal roadmap';

/** The hero with a distinctive seed and negative prompt, exposing `expose` (none: null). */
async function example(expose: string | null): Promise<ExampleCopy> {
  const app = await copyExample();
  cleanups.push(app.cleanup);
  await app.edit(
    'pixlock.yaml',
    '    seed: 11\n',
    `    seed: ${SEED}\n    negativePrompt: ${NEGATIVE}\n${expose === null ? '' : `    expose: ${expose}\n`}`,
  );
  return app;
}

/** Builds in generate mode (the hero is redrawn for its new seed); all of dist as one text. */
async function builtText(app: ExampleCopy): Promise<string> {
  const out = await tempOutDir();
  cleanups.push(out.cleanup);
  await build({
    root: app.dir,
    configFile: false,
    logLevel: 'silent',
    plugins: [pixlock({ mode: 'generate' })],
    build: { outDir: out.dir, emptyOutDir: true },
  });
  const files = await readdir(out.dir, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(
    files.filter((f) => f.isFile()).map((f) => readFile(path.join(f.parentPath, f.name), 'latin1')),
  );
  return texts.join('\n');
}

/** The values of the hero's private fields, as the manifest and the lock hold them. */
async function privateValues(app: ExampleCopy): Promise<Record<string, string>> {
  const lock = parseLock(await app.read('pixlock.lock'), 'pixlock.lock');
  return {
    prompt: 'A lighthouse on a rocky coast at dawn, soft mist, wide angle',
    negativePrompt: NEGATIVE,
    seed: String(SEED),
    taskId: lock.images.hero!.taskId,
  };
}

describe('what a production build carries', () => {
  it('carries no prompt, negative prompt, seed or task id by default', async () => {
    const app = await example(null);
    const dist = await builtText(app);
    const values = await privateValues(app);
    expect(values.taskId).toMatch(/^placeholder-[0-9a-f]{16}$/);
    for (const [field, value] of Object.entries(values)) {
      expect(dist.includes(value), `${field} "${value}" is in dist`).toBe(false);
    }
    // The import itself is there: alt, which the manifest writes for the page, ships.
    expect(dist).toContain('A lighthouse on a rocky coast at dawn');
    // No image's prompt either (the gallery's are the example's own).
    expect(dist).not.toContain('Fishing boats in a small harbour, watercolour');
  });

  it('carries each field only when the manifest exposes it', async () => {
    for (const exposed of ['prompt', 'negativePrompt', 'seed', 'taskId']) {
      const app = await example(`[${exposed}]`);
      const dist = await builtText(app);
      const values = await privateValues(app);
      for (const [field, value] of Object.entries(values)) {
        expect(dist.includes(value), `${field} with expose: [${exposed}]`).toBe(field === exposed);
      }
    }
  });
});
