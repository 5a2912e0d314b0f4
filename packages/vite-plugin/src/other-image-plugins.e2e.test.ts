import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseLock } from '@pixlock/core';
import { build, createLogger, type PluginOption } from 'vite';
import { imagetools } from 'vite-imagetools';
import { ViteImageOptimizer } from 'vite-plugin-image-optimizer';
import { afterEach, describe, expect, it } from 'vitest';
import pixlock from './index.js';
import { copyExample, tempOutDir, type ExampleCopy } from './test-utils/example-app.js';

// Apps often have an image plugin already. vite-imagetools transforms every image import
// (it re-encoded pixlock's AVIF as a smaller .heif); vite-plugin-image-optimizer re-encodes
// every image of the bundle in generateBundle. What ships must be what the lock records.

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

/** The example with a <picture> hero in AVIF and WebP, the gallery in WebP. */
async function pictureExample(): Promise<ExampleCopy> {
  const app = await copyExample();
  cleanups.push(app.cleanup);
  await app.edit(
    'pixlock.yaml',
    'output: { format: webp, quality: 72, widths: [480, 768] }',
    'output: { formats: [avif, webp], quality: 72, widths: [480, 768] }',
  );
  return app;
}

/** Builds with `plugins`; the image files in dist and the warnings logged. */
async function buildWith(app: ExampleCopy, plugins: PluginOption[]) {
  const out = await tempOutDir();
  cleanups.push(out.cleanup);
  const warnings: string[] = [];
  const logger = createLogger('silent');
  logger.warn = (message) => void warnings.push(message);
  await build({
    root: app.dir,
    configFile: false,
    customLogger: logger,
    logLevel: 'warn',
    plugins,
    // Small files too stay files: the comparison is byte for byte.
    build: { outDir: out.dir, emptyOutDir: true, assetsInlineLimit: 0 },
  });
  const assets = path.join(out.dir, 'assets');
  const files = (await readdir(assets)).filter((f) => !/\.(js|css|html)$/.test(f));
  const shipped = await Promise.all(
    files.map(async (f) => ({
      name: f,
      sha256: createHash('sha256')
        .update(await readFile(path.join(assets, f)))
        .digest('hex'),
    })),
  );
  return { shipped, warnings };
}

/** Every locked output: its sha256 and extension. */
async function lockedOutputs(app: ExampleCopy): Promise<Map<string, string>> {
  const lock = parseLock(await app.read('pixlock.lock'), 'pixlock.lock');
  const bySha = new Map<string, string>();
  for (const entry of Object.values(lock.images)) {
    for (const f of entry.output.files) bySha.set(f.sha256, path.extname(f.path));
  }
  return bySha;
}

// Settings that surely make smaller files, so the optimizer does replace every one of ours.
const squeeze = () => ViteImageOptimizer({ webp: { quality: 5 }, avif: { quality: 5 } });

describe('beside other image plugins', () => {
  // The optimizer as installed re-encodes losslessly (AVIF lossless takes seconds) and
  // keeps only smaller files, which may be none: squeezed, it surely changes every one.
  for (const [label, others, restored] of [
    ['vite-imagetools', () => [imagetools()], 0],
    ['vite-imagetools and vite-plugin-image-optimizer', () => [imagetools(), squeeze()], 8],
  ] as const) {
    it(`ships exactly the bytes the lock records with ${label} in the same config`, async () => {
      const app = await pictureExample();
      // First alone: it generates the AVIF files, so the lock records every output.
      await buildWith(app, [pixlock({ mode: 'generate' })]);
      const locked = await lockedOutputs(app);
      const { shipped, warnings } = await buildWith(app, [
        pixlock({ mode: 'frozen' }),
        ...others(),
      ]);
      // 2 hero formats × 2 widths + 4 gallery images.
      expect(shipped.map((f) => f.name)).toHaveLength(8);
      for (const file of shipped) {
        expect(locked.get(file.sha256), `${file.name} is not a locked output`).toBe(
          path.extname(file.name),
        );
      }
      // The build names the files another plugin had changed and pixlock put back.
      const said = warnings.find((w) => w.includes('another plugin changed'));
      if (restored === 0) expect(said).toBeUndefined();
      else expect(said).toContain(`changed ${restored} files pixlock emitted`);
    });
  }
});
