import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, expect, it } from 'vitest';
import { runPixlockInProcess } from '../test-utils/run-pixlock-in-process.js';

// The browser is the end-to-end part; the CLI runs in process (runCli, the bin's own entry).
const EXAMPLE = fileURLToPath(new URL('../../../../examples/basic/pixlock.yaml', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
/** Kept for a person (or a CI artifact) to look at. */
const SCREENSHOT = path.join(tmpdir(), 'pixlock-review.png');
const HOSTILE = `</p><script>alert(1)</script><img src=x onerror=alert(2)>`;

function pixlock(cwd: string, ...args: string[]) {
  return runPixlockInProcess(cwd, args);
}

let dir: string | undefined;
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('writes a report that works from file:// in Chromium: images decode, the compare control works', async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  dir = await mkdtemp(path.join(tmpdir(), 'pixlock-review-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'test');
  await copyFile(EXAMPLE, path.join(dir, 'pixlock.yaml'));
  // Outputs are not committed: the base's images must come back from the kept originals.
  await writeFile(path.join(dir, '.gitignore'), 'generated/\n.pixlock/cache/\n');
  expect((await pixlock(dir, 'generate')).code).toBe(0);
  git('add', '-A');
  git('commit', '-q', '-m', 'base');

  const manifest = await readFile(path.join(dir, 'pixlock.yaml'), 'utf8');
  await writeFile(
    path.join(dir, 'pixlock.yaml'),
    manifest
      .replace('A paper plane leaving a trail', 'A red paper plane leaving a long trail')
      .replace(
        'output: { format: jpeg, quality: 82, widths: [128, 256] }',
        'output: { format: jpeg, quality: 82, widths: [128, 192] }',
      )
      .replace(
        / {2}og-image:[\s\S]*$/,
        `  evil:\n    prompt: '${HOSTILE}'\n    seed: 5\n    variants: 3\n`,
      ),
  );
  expect((await pixlock(dir, 'generate')).code).toBe(0);
  expect((await pixlock(dir, 'prune')).code).toBe(0);

  const out = path.join(dir, 'report');
  const run = await pixlock(dir, 'review', '--out', 'report');
  expect(run).toMatchObject({
    code: 0,
    stdout: expect.stringContaining('report: report/index.html'),
  });
  expect(run.stdout).toMatch(/2 changed, 1 added, 1 removed, 3 unchanged/);
  const json = await pixlock(dir, 'review', '--json', '--out', 'report', '--base', 'main');
  expect(json.code).toBe(0);
  const doc = JSON.parse(json.stdout) as {
    version: number;
    command: string;
    ok: boolean;
    counts: Record<string, number>;
    review: { version: number; base: string };
  };
  expect(doc).toMatchObject({
    version: 1,
    command: 'review',
    ok: true,
    counts: { changed: 2, added: 1, removed: 1, unchanged: 3 },
  });
  expect(doc.review.base).toMatch(/^main \([0-9a-f]{7}\)$/);
  expect(doc.review).toEqual(JSON.parse(await readFile(path.join(out, 'review.json'), 'utf8')));
  expect(await pixlock(dir, 'review', '--base', '--upload-pack=x')).toMatchObject({ code: 2 });

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(pathToFileURL(path.join(out, 'index.html')).href, { waitUntil: 'load' });
  await page.evaluate('document.querySelectorAll("details").forEach((d) => { d.open = true; })');
  const images = (await page.evaluate(
    `Promise.all([...document.images].map((i) => i.decode().then(() => ({ src: i.src, w: i.naturalWidth }), () => ({ src: i.src, w: 0 }))))`,
  )) as { src: string; w: number }[];
  expect(problems).toEqual([]);
  // Pictures for what changed only: 2 changed cards (a pair, and the pair again in the compare
  // overlay), 1 added (with a grid of its 3 candidates), 1 removed; the 3 unchanged ones are
  // listed without pictures.
  expect(images).toHaveLength(13);
  for (const image of images) {
    expect(image.src.startsWith('file://')).toBe(true);
    expect(image.w, image.src).toBeGreaterThan(0);
  }
  // The hostile prompt is text on the page, not markup.
  expect(await page.locator('#image-evil .prompt').innerText()).toContain(HOSTILE);

  // The compare control of the changed image: the slider and the toggle change what is shown.
  const card = page.locator('[id="image-features/speed"]');
  const overlay = card.locator('.overlay');
  const clip = () =>
    page.evaluate(
      `getComputedStyle(document.querySelector('[id="image-features/speed"] .overlay img.after')).clipPath`,
    ) as Promise<string>;
  await card.locator('input[type=range]').fill('0');
  const beforeShot = await overlay.screenshot();
  expect(await clip()).toMatch(/inset\(0(px)? 100%/);
  await card.locator('button[data-toggle]').click();
  expect(await card.locator('[data-compare]').getAttribute('data-position')).toBe('100');
  const afterShot = await overlay.screenshot();
  expect(afterShot.equals(beforeShot)).toBe(false);
  await card.locator('input[type=range]').fill('50');

  // The candidates grid: three, the first chosen, each with the command that picks it.
  const grid = page.locator('#image-evil .candidate-grid');
  expect(await grid.locator('li.candidate').count()).toBe(3);
  expect(await grid.locator('li.candidate.chosen').getAttribute('data-candidate')).toBe('1');
  const second = grid.locator('li[data-candidate="2"]');
  const command = await second.locator('code').innerText();
  expect(command).toBe('pixlock pick evil 2');
  // Its copy button leaves the whole command selected (the clipboard may be refused on file://).
  await second.locator('button[data-copy]').click();
  expect(await page.evaluate('String(getSelection())')).toBe(command);
  await page.evaluate('document.querySelectorAll("details").forEach((d) => { d.open = false; })');
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  expect(problems).toEqual([]);

  // The command as copied works, calls no provider, and the next report marks the new choice.
  const [name, ...args] = command.split(' ');
  expect(name).toBe('pixlock');
  expect(await pixlock(dir, ...args)).toMatchObject({ code: 0 });
  expect((await pixlock(dir, 'check')).code).toBe(0);
  expect((await pixlock(dir, 'review', '--out', 'report')).code).toBe(0);
  await page.goto(pathToFileURL(path.join(out, 'index.html')).href, { waitUntil: 'load' });
  expect(await grid.locator('li.candidate.chosen').getAttribute('data-candidate')).toBe('2');
  expect(await grid.locator('.chosen-mark').count()).toBe(1);
  expect(problems).toEqual([]);
});
