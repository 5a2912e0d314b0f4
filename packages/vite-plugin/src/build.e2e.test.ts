import { execFile } from 'node:child_process';
import { readdir, readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  generationHash,
  generationInputs,
  loadProject,
  parseLock,
  serializeLock,
  silentLogger,
} from '@pixlock/core';
import { build, type InlineConfig } from 'vite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import pixlock from './index.js';
import type { PixlockPluginOptions } from './plugin-options.js';
import { syncImages } from './sync-images.js';
import { builtImages } from './test-utils/built-assets.js';
import {
  copyExample,
  EXAMPLE_DIR,
  tempOutDir,
  type ExampleCopy,
} from './test-utils/example-app.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function outDir(): Promise<string> {
  const out = await tempOutDir();
  cleanups.push(out.cleanup);
  return out.dir;
}

async function example(): Promise<ExampleCopy> {
  const app = await copyExample();
  cleanups.push(app.cleanup);
  return app;
}

/** `vite build` of a copy with the plugin from source. */
async function buildCopy(
  app: ExampleCopy,
  options: PixlockPluginOptions = {},
  extra: InlineConfig = {},
): Promise<string> {
  const out = await outDir();
  await build({
    root: app.dir,
    configFile: false,
    logLevel: 'silent',
    plugins: [pixlock(options)],
    build: { outDir: out, emptyOutDir: true },
    ...extra,
  });
  return out;
}

/** The first error of a failed build (Rolldown wraps them in one). */
async function buildError(run: Promise<unknown>): Promise<Record<string, unknown>> {
  const error = (await run.then(
    () => undefined,
    (e: unknown) => e,
  )) as { errors?: unknown[] } | undefined;
  expect(error, 'the build should fail').toBeDefined();
  return (error!.errors?.[0] ?? error) as Record<string, unknown>;
}

const SIZES: Record<string, [number, number]> = {
  hero: [1024, 576],
  'hero-480': [480, 270],
  'hero-768': [768, 432],
  harbour: [480, 360],
  forest: [480, 360],
  dunes: [480, 360],
  glacier: [480, 360],
};

describe('vite build', () => {
  it('builds the example with its own vite.config.ts into hashed files of the right sizes', async () => {
    const out = await outDir();
    // The example as a user has it: its config imports @pixlock/vite-plugin from dist.
    await build({
      root: EXAMPLE_DIR,
      logLevel: 'silent',
      build: { outDir: out, emptyOutDir: true },
    });
    const images = await builtImages(out);
    expect(images.map((i) => i.name).sort()).toEqual(Object.keys(SIZES).sort());
    for (const image of images) expect([image.width, image.height]).toEqual(SIZES[image.name]);
    const html = await readFile(path.join(out, 'index.html'), 'utf8');
    expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js">/);
  });

  it('respects base and puts srcset and the blur placeholder in the module', async () => {
    const app = await example();
    const out = await buildCopy(app, {}, { base: '/shop/' });
    const images = await builtImages(out, '/shop/');
    expect(images).toHaveLength(7);
    const js = await readFile(path.join(out, 'assets', await jsFile(out)), 'utf8');
    expect(js).toMatch(
      /\[`\/shop\/assets\/hero-480-[\w-]{8}\.webp 480w`,`\/shop\/assets\/hero-768-[\w-]{8}\.webp 768w`,\w+\+` 1024w`\]\.join\(`, `\)/,
    );
    expect(js).toMatch(/placeholder:`data:image\/webp;base64,[\w+/=]{40,400}`/);
  });

  it('fails a CI build that would need the provider, naming the image and the command', async () => {
    vi.stubEnv('CI', 'true');
    const app = await example();
    await app.edit(
      'pixlock.yaml',
      '  gallery/glacier:',
      '  gallery/new:\n    prompt: A new one\n  gallery/glacier:',
    );
    const lockBefore = await app.read('pixlock.lock');
    const error = await buildError(buildCopy(app));
    expect(error.message).toContain('gallery/new');
    expect(error.message).toContain('CI is set');
    // The copy is outside the working directory, so the path is absolute.
    expect(error.message).toContain(`Run \`pixlock generate --config ${app.config}\``);
    expect(await app.read('pixlock.lock')).toBe(lockBefore);
  });

  it("prints only pixlock's message when `vite build` on CI stops, no bundler stack", async () => {
    const app = await example();
    await app.edit(
      'pixlock.yaml',
      '  gallery/glacier:',
      '  gallery/new:\n    prompt: A new one\n  gallery/glacier:',
    );
    // The example's own config and packages, as `npm run build` in the app would use them.
    await symlink(path.join(EXAMPLE_DIR, 'node_modules'), path.join(app.dir, 'node_modules'));
    const vite = path.join(EXAMPLE_DIR, 'node_modules/vite/bin/vite.js');
    const run = await new Promise<{ code: number | null; output: string }>((resolve) => {
      execFile(
        process.execPath,
        [vite, 'build', '--outDir', 'dist-ci'],
        { cwd: app.dir, env: { ...process.env, CI: 'true', NO_COLOR: '1' } },
        (error, stdout, stderr) =>
          resolve({ code: error ? (error.code as number) : 0, output: stdout + stderr }),
      );
    });
    expect(run.code).toBe(1);
    expect(run.output).toContain(
      'error during build:\n[pixlock] 1 image needs the image provider, but CI is set',
    );
    expect(run.output).toContain('Run `pixlock generate --config pixlock.yaml`');
    expect(run.output).not.toMatch(/^\s+at /m);
    expect(run.output).not.toContain('RolldownError');
  });

  it('still remakes outputs from kept originals in a frozen build, for free', async () => {
    const app = await example();
    await app.edit('pixlock.yaml', 'seed: 22', 'seed: 22\n    output: { width: 320 }');
    const out = await buildCopy(app, { mode: 'frozen' });
    const forest = (await builtImages(out)).find((i) => i.name === 'forest');
    expect([forest?.width, forest?.height]).toEqual([320, 240]);
  });

  it('generates a new image in generate mode, even with CI set', async () => {
    vi.stubEnv('CI', 'true');
    const app = await example();
    await app.edit(
      'pixlock.yaml',
      '  gallery/glacier:',
      '  gallery/new:\n    prompt: A new one\n    seed: 5\n  gallery/glacier:',
    );
    const out = await buildCopy(app, { mode: 'generate' });
    const lock = parseLock(await app.read('pixlock.lock'), 'pixlock.lock');
    expect(lock.images['gallery/new']?.output.files[0]).toMatchObject({ width: 480, height: 360 });
    expect((await builtImages(out)).map((i) => i.name)).toContain('new');
    expect(await app.read('pixlock-env.d.ts')).toContain("declare module 'pixlock:gallery/new'");
  });

  it('refuses to ship placeholders the dev server drew without an API key', async () => {
    vi.stubEnv('KINOVI_API_KEY', '');
    vi.stubEnv('CI', 'true');
    const app = await example();
    await app.edit('pixlock.yaml', 'name: placeholder', 'name: kinovi');
    // What the dev server does when the key is missing.
    await syncImages({
      config: app.config,
      frozen: false,
      placeholderFallback: true,
      logger: silentLogger,
    });
    // The lock says placeholder, the manifest kinovi: the plan regenerates them, which a CI
    // build may not do.
    const error = await buildError(buildCopy(app));
    expect(error.message).toContain('5 images need the image provider');
    for (const id of [
      'gallery/dunes',
      'gallery/forest',
      'gallery/glacier',
      'gallery/harbour',
      'hero',
    ]) {
      expect(error.message).toContain(id);
    }
  });

  it('needs no API key when nothing needs the provider, and names the key when something does', async () => {
    vi.stubEnv('KINOVI_API_KEY', '');
    const app = await example();
    await app.edit('pixlock.yaml', 'name: placeholder', 'name: kinovi');
    await lockAsIfFrom(app, 'kinovi');
    await buildCopy(app, { mode: 'generate' });

    await app.edit(
      'pixlock.yaml',
      '  gallery/glacier:',
      '  gallery/new:\n    prompt: A new one\n  gallery/glacier:',
    );
    const error = await buildError(buildCopy(app, { mode: 'generate' }));
    expect(error.message).toContain('the kinovi provider needs an API key');
  });

  it('reports a manifest error with its file and line, not a stack trace', async () => {
    const app = await example();
    await app.edit('pixlock.yaml', 'format: webp, quality: 72', 'format: gif, quality: 72');
    const line =
      (await app.read('pixlock.yaml')).split('\n').findIndex((l) => l.includes('gif')) + 1;
    const error = await buildError(buildCopy(app));
    expect(error).toMatchObject({
      plugin: 'pixlock',
      pluginCode: 'MANIFEST_INVALID',
      id: app.config,
      loc: { file: app.config, line, column: expect.any(Number) },
    });
    expect(error.message).toMatch(new RegExp(`pixlock\\.yaml:${line}:\\d+: "gif" is not allowed`));
  });

  it('emits only the files of the images the app imports', async () => {
    const app = await example();
    await app.write(
      'src/main.ts',
      "import forest from 'pixlock:gallery/forest';\ndocument.body.append(forest.src);\n",
    );
    const out = await buildCopy(app);
    const files = await readdir(path.join(out, 'assets'));
    expect(files.filter((f) => /\.(webp|avif|png|jpe?g)$/.test(f))).toEqual([
      expect.stringMatching(/^forest-[\w-]{8}\.webp$/),
    ]);
  });

  it('builds a picture: every format at every width, and the picture helper renders it', async () => {
    const app = await example();
    await app.edit(
      'pixlock.yaml',
      'output: { format: webp, quality: 72, widths: [480, 768] }',
      "output:\n      formats: [avif, webp]\n      widths: [480, 768, 4000]\n      sizes: '100vw'",
    );
    await app.write(
      'src/main.ts',
      "import hero from 'pixlock:hero';\nimport { pictureHtml } from '@pixlock/vite-plugin/picture';\ndocument.body.innerHTML = pictureHtml(hero);\n",
    );
    // The copy lives outside the workspace: point the helper's package path at its source.
    const picture = fileURLToPath(new URL('./picture.ts', import.meta.url));
    const out = await buildCopy(
      app,
      { mode: 'generate' },
      { resolve: { alias: { '@pixlock/vite-plugin/picture': picture } } },
    );
    const images = await builtImages(out);
    // 4000 is clamped to the original's 1024; no full-size file unless asked for.
    expect(
      images.map((i) => `${i.name}.${path.extname(i.url).slice(1)} ${i.width}`).sort(),
    ).toEqual([
      'hero-1024.avif 1024',
      'hero-1024.webp 1024',
      'hero-480.avif 480',
      'hero-480.webp 480',
      'hero-768.avif 768',
      'hero-768.webp 768',
    ]);
    const js = await readFile(path.join(out, 'assets', await jsFile(out)), 'utf8');
    expect(js).toContain('image/avif');
    expect(js).toContain('A lighthouse');
    expect(js).toContain('<picture>');
  });

  it('fails on an unknown image id with the closest one', async () => {
    const app = await example();
    await app.edit('src/main.ts', "from 'pixlock:hero'", "from 'pixlock:heroo'");
    const error = await buildError(buildCopy(app));
    expect(error.message).toContain('no image "heroo" in pixlock.yaml; did you mean "hero"?');
  });
});

/** Rewrites the lock as if every image had come from `provider` (no such server here). */
async function lockAsIfFrom(app: ExampleCopy, provider: 'kinovi'): Promise<void> {
  const { manifest, lock } = await loadProject(app.config);
  for (const image of manifest.images) {
    const entry = lock.images[image.id]!;
    const inputs = generationInputs(image, manifest.provider, entry.seed, () => undefined);
    lock.images[image.id] = { ...entry, provider, generation: generationHash(inputs) };
  }
  await app.write('pixlock.lock', serializeLock(lock));
}

async function jsFile(out: string): Promise<string> {
  const html = await readFile(path.join(out, 'index.html'), 'utf8');
  return /assets\/(index-[\w-]+\.js)/.exec(html)![1]!;
}
