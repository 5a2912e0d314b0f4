import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createLogger, createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pixlock from './index.js';
import { copyExample, type ExampleCopy } from './test-utils/example-app.js';

// What a page open in `vite dev` sees when the manifest is saved: one update per save (here a
// full reload: the example's main.ts accepts no HMR), soon after the files are written, and
// the error overlay of a broken manifest for as long as it stays broken, reloads included.

const CHROMIUM = '/usr/bin/chromium';
/** Quiet time after which no more updates for a save are expected. */
const SETTLE_MS = 1500;

interface Message {
  type: string;
  at: number;
}

let app: ExampleCopy;
let server: ViteDevServer;
let browser: Browser;
let page: Page;
/** HMR messages the page received, and the times its document loaded. */
const messages: Message[] = [];
const loads: number[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install it with apt-get install -y chromium`);
  }
  app = await copyExample();
  server = await createServer({
    root: app.dir,
    configFile: false,
    customLogger: createLogger('silent'),
    plugins: [pixlock({ mode: 'generate' })],
    server: { host: '127.0.0.1', port: 0, strictPort: false },
  });
  await server.listen();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  page.on('websocket', (ws) =>
    ws.on('framereceived', ({ payload }) => {
      const { type } = JSON.parse(String(payload)) as { type: string };
      if (type === 'update' || type === 'full-reload' || type === 'error') {
        messages.push({ type, at: Date.now() });
      }
    }),
  );
  page.on('load', () => loads.push(Date.now()));
  await page.goto(server.resolvedUrls!.local[0]!, { waitUntil: 'load' });
  await heroSrcset(/hero-768\.webp/);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await app?.cleanup();
});

/**
 * Waits until the hero is shown with a srcset matching `pattern`; that srcset. The last one:
 * a main.ts that accepts HMR appends a new one each time it runs.
 */
async function heroSrcset(pattern: RegExp): Promise<string> {
  const handle = await page.waitForFunction(
    `(() => { const i = [...document.querySelectorAll('#hero img')].pop(); return i && i.complete && i.naturalWidth > 0 && ${pattern}.test(i.srcset) && i.srcset; })()`,
    undefined,
    { timeout: 20_000 },
  );
  return (await handle.jsonValue()) as string;
}

/** Where the record stands: what arrives after it belongs to the next save. */
const mark = () => ({ messages: messages.length, at: Date.now() });

/** Waits until nothing has arrived for SETTLE_MS; the messages and page loads since `from`. */
async function settle(from: ReturnType<typeof mark>) {
  for (;;) {
    const last = Math.max(from.at, ...messages.map((m) => m.at), ...loads);
    const wait = last + SETTLE_MS - Date.now();
    if (wait <= 0) break;
    await new Promise((r) => setTimeout(r, wait));
  }
  return { messages: messages.slice(from.messages), loads: loads.filter((t) => t >= from.at) };
}

/** One save of the manifest with every replacement in it. */
async function save(...edits: [from: string, to: string][]): Promise<void> {
  let text = await app.read('pixlock.yaml');
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`pixlock.yaml does not contain ${from}`);
    text = text.replace(from, to);
  }
  await app.write('pixlock.yaml', text);
}

describe('vite dev in Chromium', () => {
  it('sends one update for a save that rewrites many files, under 1 s after they are written', async () => {
    const from = mark();
    // Output-only: the gallery's four files (defaults) and the hero's widths, from originals.
    await save(
      ['quality: 70, width: 480', 'quality: 65, width: 480'],
      ['widths: [480, 768]', 'widths: [480, 640]'],
    );
    await heroSrcset(/hero-640\.webp/);
    const { messages: sent, loads: reloads } = await settle(from);
    expect(sent.map((m) => m.type)).toEqual(['full-reload']);
    expect(reloads).toHaveLength(1);
    const files = ['hero-480', 'hero-640', 'hero', ...['dunes', 'forest', 'glacier', 'harbour']];
    const written = await Promise.all(
      files.map(async (f) => {
        const dir = f.startsWith('hero') ? 'generated' : 'generated/gallery';
        return (await stat(path.join(app.dir, dir, `${f}.webp`))).mtimeMs;
      }),
    );
    const after = sent[0]!.at - Math.max(...written);
    console.log(
      `update ${Math.round(after)} ms after the last of ${files.length} files was written`,
    );
    expect(after).toBeLessThan(1000);
  });

  it('keeps the error overlay of a broken manifest across reloads, until it is fixed', async () => {
    let from = mark();
    await save(['widths: [480, 640]', 'widths: [480, 640], fit: round']);
    await page.waitForSelector('vite-error-overlay', { timeout: 20_000 });
    expect(await page.textContent('vite-error-overlay >> text=/pixlock\\.yaml:\\d+/')).toBeTruthy();
    expect((await settle(from)).messages.map((m) => m.type)).toEqual(['error']);

    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('vite-error-overlay', { timeout: 20_000 });
    // And the page under it still shows the last good images.
    await heroSrcset(/hero-640\.webp/);

    from = mark();
    await save(['widths: [480, 640], fit: round', 'widths: [480, 640]']);
    await page.waitForSelector('vite-error-overlay', { state: 'detached', timeout: 20_000 });
    expect((await settle(from)).messages.map((m) => m.type)).toEqual(['full-reload']);
    await page.reload({ waitUntil: 'load' });
    await heroSrcset(/hero-640\.webp/);
    expect(await page.$('vite-error-overlay')).toBeNull();
  });

  it('sends one HMR update, no reload, where the app accepts updates', async () => {
    // As a framework's component would: main.ts accepts updates of itself.
    const main = await app.read('src/main.ts');
    await app.write('src/main.ts', `${main}\nimport.meta.hot?.accept();\n`);
    await settle(mark());
    const from = mark();
    await save(
      ['quality: 65, width: 480', 'quality: 60, width: 480'],
      ['widths: [480, 640]', 'widths: [480, 700]'],
    );
    await heroSrcset(/hero-700\.webp/);
    const { messages: sent, loads: reloads } = await settle(from);
    expect(sent.map((m) => m.type)).toEqual(['update']);
    expect(reloads).toHaveLength(0);
  });
});
