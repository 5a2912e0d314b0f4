import { createLogger, createServer, type ViteDevServer } from 'vite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import pixlock from './index.js';
import type { PixlockPluginOptions } from './plugin-options.js';
import { copyExample, type ExampleCopy } from './test-utils/example-app.js';

let app: ExampleCopy | undefined;
let server: ViteDevServer | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await server?.close();
  await app?.cleanup();
  server = app = undefined;
});

/** A dev server on a copy of the example, on loopback, with its warnings collected. */
async function startDev(
  options: PixlockPluginOptions = { mode: 'generate' },
  prepare: (app: ExampleCopy) => Promise<void> = async () => {},
) {
  app = await copyExample();
  await prepare(app);
  const warnings: string[] = [];
  const errors: string[] = [];
  const logger = createLogger('silent');
  logger.warn = (message) => void warnings.push(message);
  logger.error = (message) => void errors.push(message);
  server = await createServer({
    root: app.dir,
    configFile: false,
    customLogger: logger,
    plugins: [pixlock(options)],
    server: { host: '127.0.0.1', port: 0, strictPort: false },
  });
  await server.listen();
  const base = server.resolvedUrls!.local[0]!;
  const get = async (url: string) => {
    const response = await fetch(new URL(url, base));
    expect(response.status, url).toBe(200);
    return response;
  };
  const text = async (url: string) => (await get(url)).text();
  return { app, warnings, errors, base, get, text };
}

/** Fetches `url` until its body matches, as a browser would after an update. */
async function until(fetchText: () => Promise<string>, pattern: RegExp, ms = 20_000) {
  const deadline = Date.now() + ms;
  let last = '';
  while (Date.now() < deadline) {
    last = await fetchText();
    if (pattern.test(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${pattern} after ${ms} ms; last body:\n${last}`);
}

describe('dev server', () => {
  it('serves an image module and serves it anew after the manifest changes', async () => {
    const dev = await startDev();
    const forest = () => dev.text('/@id/pixlock:gallery/forest');
    const before = await forest();
    expect(before).toContain('width: 480,');
    // A plain URL, not an import: no other plugin transforms it. The query busts the cache.
    const url = /const url0 = "(\/generated\/gallery\/forest\.webp\?v=[0-9a-f]{12})"/.exec(
      before,
    )?.[1];
    expect(url, before).toBeDefined();
    expect((await dev.get(url!)).headers.get('content-type')).toBe('image/webp');

    await dev.app.edit('pixlock.yaml', 'seed: 22', 'seed: 22\n    output: { width: 320 }');
    const after = await until(forest, /width: 320,/);
    expect(after).toContain('height: 240,');
    // The remade file has a new URL, so a browser does not show the one it cached.
    expect(after).not.toContain(url);
    // The file behind the URL was remade too (from the kept original).
    const image = await dev.get('/generated/gallery/forest.webp');
    expect(image.headers.get('content-type')).toBe('image/webp');
    expect((await dev.app.read('pixlock.lock')).includes('width: 320')).toBe(true);
  });

  it('adds a new image to virtual:pixlock and the type declarations', async () => {
    const dev = await startDev();
    const all = () => dev.text('/@id/virtual:pixlock');
    expect(await all()).not.toContain('gallery/new');
    await dev.app.edit(
      'pixlock.yaml',
      '  gallery/glacier:',
      '  gallery/new:\n    prompt: A new one\n    seed: 3\n  gallery/glacier:',
    );
    await until(all, /"gallery\/new": image\d/);
    expect(await dev.text('/@id/pixlock:gallery/new')).toContain('width: 480,');
    expect(await dev.app.read('pixlock-env.d.ts')).toContain(
      "declare module 'pixlock:gallery/new'",
    );
  });

  it('keeps serving the last good images while the manifest is broken, and says where', async () => {
    const dev = await startDev();
    const hero = () => dev.text('/@id/pixlock:hero');
    expect(await hero()).toContain('768w'); // after the first sync
    await dev.app.edit('pixlock.yaml', 'widths: [480, 768]', 'widths: [480, 768], fit: round');
    await until(async () => dev.errors.join('\n'), /pixlock\.yaml:\d+:\d+: .*round/);
    expect(await hero()).toContain('768w');
    await dev.app.edit('pixlock.yaml', 'widths: [480, 768], fit: round', 'widths: [480, 640]');
    await until(hero, /640w/);
  });

  it('draws placeholders with a warning when the kinovi provider has no API key', async () => {
    vi.stubEnv('KINOVI_API_KEY', '');
    // Every image's provider changes, so all of them need generating.
    const dev = await startDev({ mode: 'generate' }, (copy) =>
      copy.edit('pixlock.yaml', 'name: placeholder', 'name: kinovi'),
    );
    expect(await dev.text('/@id/pixlock:hero')).toContain('width: 1024,');
    const warned = dev.warnings.join('\n');
    expect(warned).toContain('KINOVI_API_KEY');
    expect(warned).toMatch(/placeholder provider/);
    expect(warned).toContain('hero');

    // A save redraws only what changed, not every stand-in again.
    const before = dev.warnings.length;
    await dev.app.edit('pixlock.yaml', 'A lighthouse on a rocky coast', 'A lighthouse on a cliff');
    await until(async () => dev.warnings.slice(before).join('\n'), /Drew /);
    const redrawn = dev.warnings.slice(before).find((w) => w.includes('Drew '));
    expect(redrawn).toMatch(/Drew hero with the placeholder provider/);
  });
});
