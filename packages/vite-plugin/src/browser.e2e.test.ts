import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import sharp from 'sharp';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, expect, it } from 'vitest';
import { EXAMPLE_DIR, tempOutDir } from './test-utils/example-app.js';

const CHROMIUM = '/usr/bin/chromium';
/** Where the screenshots go, for a person (or a CI artifact) to look at. */
const SCREENSHOT = path.join(tmpdir(), 'pixlock-vite-app.png');
const PLACEHOLDER_SCREENSHOT = path.join(tmpdir(), 'pixlock-vite-app-placeholders.png');

// Page-side code as strings: this package's types have no DOM.
const IMAGES = `[...document.images].map((i) => ({
  src: i.currentSrc,
  complete: i.complete,
  naturalWidth: i.naturalWidth,
  placeholder: getComputedStyle(i.parentElement).backgroundImage,
  loaded: i.classList.contains('loaded'),
}))`;
const FRAMES = `[...document.querySelectorAll('figure.frame')].map((f) => ({
  background: getComputedStyle(f).backgroundImage,
  height: f.getBoundingClientRect().height,
}))`;

interface ImageState {
  src: string;
  complete: boolean;
  naturalWidth: number;
  placeholder: string;
  loaded: boolean;
}

let browser: Browser | undefined;
let server: PreviewServer | undefined;
let cleanup: (() => Promise<void>) | undefined;
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await cleanup?.();
});

it('shows every image of the built example in headless Chromium', async () => {
  // Fail, never skip: a browser test that silently does not run proves nothing.
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install it with apt-get install -y chromium`);
  }
  const out = await tempOutDir();
  cleanup = out.cleanup;
  await build({ root: EXAMPLE_DIR, logLevel: 'silent', build: { outDir: out.dir } });
  server = await preview({
    root: EXAMPLE_DIR,
    configFile: false,
    logLevel: 'silent',
    build: { outDir: out.dir },
    preview: { host: '127.0.0.1', port: 0 },
  });
  const url = server.resolvedUrls!.local[0]!;

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const failed: string[] = [];
  page.on('requestfailed', (r) => failed.push(r.url()));
  page.on('pageerror', (e) => failed.push(e.message));
  await page.goto(url, { waitUntil: 'load' });
  // The gallery is lazy: scroll so the browser fetches it.
  await page.evaluate('window.scrollTo(0, document.body.scrollHeight)');
  await page.waitForFunction('[...document.images].every((i) => i.complete)', undefined, {
    timeout: 15_000,
  });
  const images = (await page.evaluate(IMAGES)) as ImageState[];
  expect(failed).toEqual([]);
  expect(images).toHaveLength(5);
  for (const image of images) {
    expect(image, image.src).toMatchObject({ complete: true, loaded: true });
    expect(image.naturalWidth, image.src).toBeGreaterThan(0);
    expect(image.src).toMatch(/\/assets\/[\w-]+-[\w-]{8}\.webp$/);
    expect(image.placeholder.startsWith('url("data:image/webp;base64,'), image.src).toBe(true);
  }
  // The fade-in ends with every image fully opaque: what is on screen is the image, not the
  // placeholder behind it (waited for as a state, not a fixed delay).
  await page.waitForFunction(
    '[...document.images].every((i) => getComputedStyle(i).opacity === "1")',
    undefined,
    { timeout: 15_000 },
  );
  // Kept for a human to look at; checked here for what a blank or broken page would lack.
  const shot = await page.screenshot({ path: SCREENSHOT, fullPage: true });
  const { width } = await sharp(shot).metadata();
  expect(width).toBe(1000);
  const { channels } = await sharp(shot).stats();
  expect(Math.max(...channels.map((c) => c.stdev))).toBeGreaterThan(10);
});

it('shows the blurred placeholders while the images have not arrived', async () => {
  expect(server, 'the first test starts the preview server').toBeDefined();
  const page = await browser!.newPage({ viewport: { width: 1000, height: 900 } });
  // Images that never arrive: what a slow connection shows before they do.
  await page.route('**/assets/*.webp', (route) => route.abort());
  await page.goto(server!.resolvedUrls!.local[0]!, { waitUntil: 'load' });
  const frames = (await page.evaluate(FRAMES)) as { background: string; height: number }[];
  // Each frame keeps the image's aspect ratio, so the layout does not jump on load.
  expect(frames).toHaveLength(5);
  for (const frame of frames) {
    expect(frame.background.startsWith('url("data:image/webp;base64,')).toBe(true);
    expect(frame.height).toBeGreaterThan(100);
  }
  await page.screenshot({ path: PLACEHOLDER_SCREENSHOT, fullPage: true });
});
