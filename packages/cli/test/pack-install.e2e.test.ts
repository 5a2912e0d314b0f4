// Installs pixlock the way a user does: the packages as `pnpm pack` makes them, installed by
// npm (and by pnpm, strict layout) into a fresh app outside the workspace, then init,
// generate, check, tsc and vite build there. Fails on a file missing from a tarball, a
// dependency missing from a package.json, or a type error in the published declarations.
// npm reaches the registry only for what its cache (kept under os.tmpdir() between runs)
// does not have yet; pnpm uses the store the workspace was installed from. It packs the dist
// the test run built (prepack, which cleans and rebuilds, is skipped: the other e2e tests are
// running from that dist at the same time).
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ROOT,
  PACKAGES,
  NPM_CACHE,
  INSTALL_TIMEOUT,
  exec,
  ok,
  installedVersion,
  MAIN_TS,
  PICTURE_TS,
  CHROMIUM,
  SHOWN,
  serveFolder,
  TSCONFIG,
} from './pack-install-helpers.js';
import {
  TEMPLATES,
  makeTemplateApp,
  templateDependencies,
  tscOf,
  typedImportsBuild,
} from './create-vite-apps.js';

let work: string;
const tarballs: Record<string, string> = {};

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'pixlock-pack-'));
  const packs = path.join(work, 'packs');
  await mkdir(packs);
  for (const p of PACKAGES) {
    const r = await ok(
      'pnpm',
      ['pack', '--config.ignore-scripts=true', '--pack-destination', packs],
      path.join(ROOT, 'packages', p),
    );
    tarballs[p] = path.join(packs, path.basename(r.stdout.trim().split('\n').pop()!));
  }
}, INSTALL_TIMEOUT);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** An app that depends on the CLI and the plugin only; core must come with them. */
async function appPackageJson(manager: 'npm' | 'pnpm'): Promise<string> {
  const core = `file:${tarballs.core}`;
  const pkg = {
    name: 'pixlock-pack-test-app',
    private: true,
    type: 'module',
    devDependencies: {
      '@pixlock/cli': `file:${tarballs.cli}`,
      '@pixlock/vite-plugin': `file:${tarballs['vite-plugin']}`,
      typescript: await installedVersion('typescript'),
      vite: await installedVersion('vite'),
      // What the create-vite templates' tsconfig files need (see create-vite-apps.ts): all
      // four under npm, react-ts's under pnpm.
      ...(await templateDependencies(
        manager === 'npm' ? TEMPLATES : TEMPLATES.filter((t) => t.name === 'react-ts'),
      )),
    },
    // @pixlock/core ^0.1.0 is not on the registry: take it from its tarball.
    ...(manager === 'npm'
      ? { overrides: { '@pixlock/core': core } }
      : { pnpm: { overrides: { '@pixlock/core': core }, onlyBuiltDependencies: ['esbuild'] } }),
  };
  return JSON.stringify(pkg, null, 2);
}

describe('installed from the packed tarballs with npm', () => {
  let app: string;
  const bin = (name: string) => path.join(app, 'node_modules', '.bin', name);

  beforeAll(async () => {
    app = path.join(work, 'npm-app');
    await mkdir(path.join(app, 'src'), { recursive: true });
    await writeFile(path.join(app, 'package.json'), await appPackageJson('npm'));
    await ok(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', '--cache', NPM_CACHE],
      app,
      INSTALL_TIMEOUT,
    );
  }, INSTALL_TIMEOUT);

  it('ships every file its source maps and declarations point at', async () => {
    expect(existsSync(path.join(app, 'node_modules/@pixlock/core/package.json'))).toBe(true);
    for (const p of PACKAGES) {
      const dir = path.join(app, 'node_modules', '@pixlock', p);
      for (const f of ['README.md', 'LICENSE']) expect(existsSync(path.join(dir, f))).toBe(true);
      const maps = (await readdir(path.join(dir, 'dist'), { recursive: true })).filter((f) =>
        f.endsWith('.map'),
      );
      expect(maps.length).toBeGreaterThan(0);
      for (const m of maps) {
        const file = path.join(dir, 'dist', m);
        const { sources } = JSON.parse(await readFile(file, 'utf8')) as { sources: string[] };
        for (const s of sources)
          expect(
            existsSync(path.resolve(path.dirname(file), s)),
            `${p}/dist/${m} maps to ${s}, which is not in the tarball. A file left in dist by a ` +
              'source since deleted? Publishing cleans first (prepack); here run ' +
              '"rm -rf packages/*/dist packages/*/tsconfig.tsbuildinfo && pnpm exec tsc -b".',
          ).toBe(true);
      }
    }
    expect(existsSync(path.join(app, 'node_modules/@pixlock/fake-kinovi'))).toBe(false);
  });

  it(
    'runs init, generate, check, tsc and vite build in the app',
    async () => {
      const version = JSON.parse(
        await readFile(path.join(ROOT, 'packages/cli/package.json'), 'utf8'),
      ) as { version: string };
      expect((await ok('npx', ['--no', '--', 'pixlock', '--version'], app)).stdout.trim()).toBe(
        version.version,
      );
      await ok('npx', ['--no', 'pixlock', 'init'], app);

      // The $schema modeline names a file that exists and is the manifest's schema.
      const manifest = await readFile(path.join(app, 'pixlock.yaml'), 'utf8');
      const schemaPath = /\$schema=(\S+)/.exec(manifest.split('\n')[0]!)![1]!;
      const schema = JSON.parse(await readFile(path.resolve(app, schemaPath), 'utf8'));
      expect(schema).toMatchObject({ title: 'pixlock manifest' });

      const gen = await ok(bin('pixlock'), ['generate'], app);
      expect(gen.stdout).toMatch(/Done: 2 created/);
      expect(existsSync(path.join(app, 'pixlock-env.d.ts'))).toBe(true);
      const check = await ok(bin('pixlock'), ['check', '--json'], app);
      expect(JSON.parse(check.stdout)).toMatchObject({
        version: 1,
        ok: true,
        counts: { total: 2 },
      });

      await writeFile(path.join(app, 'src/main.ts'), MAIN_TS);
      // The two TypeScript setups the README documents, each exactly as written.
      await writeFile(
        path.join(app, 'tsconfig.json'),
        TSCONFIG({ include: ['src', 'pixlock-env.d.ts'] }),
      );
      await writeFile(
        path.join(app, 'tsconfig.client.json'),
        TSCONFIG({ types: ['vite/client', '@pixlock/vite-plugin/client'] }),
      );
      await ok(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json'], app);
      await ok(bin('tsc'), ['--noEmit', '-p', 'tsconfig.client.json'], app);

      // With the generated declarations a mistyped id is a type error.
      await writeFile(
        path.join(app, 'src/typo.ts'),
        "import x from 'pixlock:heroo';\nexport { x };\n",
      );
      const typo = await exec(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json'], app);
      expect(typo.code).not.toBe(0);
      expect(typo.stdout).toMatch(/typo\.ts.*TS2307/);
      await rm(path.join(app, 'src/typo.ts'));

      await writeFile(
        path.join(app, 'vite.config.ts'),
        "import pixlock from '@pixlock/vite-plugin';\nimport { defineConfig } from 'vite';\n\nexport default defineConfig({ plugins: [pixlock()] });\n",
      );
      await writeFile(
        path.join(app, 'index.html'),
        '<!doctype html><html><body><script type="module" src="/src/main.ts"></script></body></html>\n',
      );
      await ok(bin('vite'), ['build'], app);
      const assets = await readdir(path.join(app, 'dist/assets'));
      expect(assets.some((f) => /^hero.*\.avif$/.test(f))).toBe(true);
      expect(assets.some((f) => f.endsWith('.js'))).toBe(true);
    },
    INSTALL_TIMEOUT,
  );

  it(
    'shows an image as <picture> with AVIF and WebP in Chromium, the browser picking AVIF',
    async () => {
      // Fail, never skip: a browser test that silently does not run proves nothing.
      if (!existsSync(CHROMIUM)) {
        throw new Error(`${CHROMIUM} is missing: install it with apt-get install -y chromium`);
      }
      // The README's <picture> example, on the manifest init wrote.
      const manifest = await readFile(path.join(app, 'pixlock.yaml'), 'utf8');
      expect(manifest).toContain('      format: avif\n');
      await writeFile(
        path.join(app, 'pixlock.yaml'),
        manifest
          .replace('      format: avif\n', "      formats: [avif, webp]\n      sizes: '100vw'\n")
          .replace(
            '    aspectRatio: "16:9"\n',
            '    aspectRatio: "16:9"\n    alt: A city at sunset\n',
          ),
      );
      const gen = await ok(bin('pixlock'), ['generate'], app);
      expect(gen.stdout).toMatch(/1 reprocessed/);
      await ok(bin('pixlock'), ['check'], app);
      await writeFile(path.join(app, 'src/main.ts'), PICTURE_TS);
      await ok(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json'], app);
      await ok(bin('vite'), ['build'], app);
      const assets = await readdir(path.join(app, 'dist/assets'));
      for (const ext of ['avif', 'webp'])
        for (const width of [640, 1280])
          expect(assets.some((f) => f.startsWith(`hero-${width}-`) && f.endsWith(`.${ext}`))).toBe(
            true,
          );
      // Only what the page imports: no full-size hero, no avatar.
      expect(assets.filter((f) => /\.(avif|webp|png|jpg)$/.test(f))).toHaveLength(4);

      const server = await serveFolder(path.join(app, 'dist'));
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--headless', '--disable-gpu', '--no-first-run'],
      });
      try {
        const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
        const failed: string[] = [];
        page.on('requestfailed', (r) => failed.push(r.url()));
        page.on('pageerror', (e) => failed.push(e.message));
        await page.goto(server.url, { waitUntil: 'load' });
        const shown = (await page.evaluate(SHOWN)) as Record<string, unknown>;
        expect(failed).toEqual([]);
        expect(shown).toMatchObject({
          sources: ['image/avif'],
          alt: 'A city at sunset',
          decoded: true,
          width: 1280,
        });
        // At 800 css px, 100vw: the browser picks the 1280 w AVIF (or 640 at DPR < 1).
        expect(shown.currentSrc).toMatch(/\/assets\/hero-(640|1280)-[\w-]{8}\.avif$/);
        // width="1280" (layout reserved before it loads), shown inside the 800 px page.
        const { shownWidth, shownHeight, containerWidth } = shown as Record<string, number>;
        expect(shownWidth).toBeLessThanOrEqual(containerWidth!);
        expect(shownWidth! / shownHeight!).toBeCloseTo(16 / 9, 1);
        expect(shown.naturalWidth).toBeGreaterThan(0);
      } finally {
        await browser.close();
        await server.close();
      }
    },
    INSTALL_TIMEOUT,
  );

  it(
    'types pixlock:<id> in an untouched app of each create-vite template, as its build script checks it',
    async () => {
      let first: string | undefined;
      for (const t of TEMPLATES) {
        const dir = path.join(app, 'templates', t.name);
        await makeTemplateApp(dir, t);
        // A typo in an id fails the check: once is enough (and again under pnpm).
        const typo = t.name === 'vanilla-ts';
        await typedImportsBuild(dir, t, bin, tscOf(app, t), { shareFrom: first, typo });
        first ??= dir;
      }
    },
    INSTALL_TIMEOUT,
  );
});

describe('installed with pnpm (strict layout)', () => {
  let pnpmApp: string | undefined;

  it(
    'init writes a $schema path that exists although core is not a direct dependency',
    async () => {
      const app = path.join(work, 'pnpm-app');
      pnpmApp = app;
      await mkdir(app);
      await writeFile(path.join(app, 'package.json'), await appPackageJson('pnpm'));
      await ok(
        'pnpm',
        ['install', '--prefer-offline', '--config.node-linker=isolated', '--ignore-workspace'],
        app,
        INSTALL_TIMEOUT,
      );
      // Strict: core is not reachable from the app's own node_modules.
      expect(existsSync(path.join(app, 'node_modules/@pixlock/core'))).toBe(false);
      await ok('pnpm', ['exec', 'pixlock', 'init'], app);
      const manifest = await readFile(path.join(app, 'pixlock.yaml'), 'utf8');
      const schemaPath = /\$schema=(\S+)/.exec(manifest.split('\n')[0]!)![1]!;
      const schema = JSON.parse(await readFile(path.resolve(app, schemaPath), 'utf8'));
      expect(schema).toMatchObject({ title: 'pixlock manifest' });
      // And generate keeps it current: an old copy is rewritten.
      await writeFile(path.resolve(app, schemaPath), '{}\n');
      await ok('pnpm', ['exec', 'pixlock', 'generate'], app);
      expect(JSON.parse(await readFile(path.resolve(app, schemaPath), 'utf8'))).toEqual(schema);
    },
    INSTALL_TIMEOUT,
  );

  it(
    'types pixlock:<id> in an untouched react-ts app, as its build script checks it',
    async () => {
      expect(pnpmApp, 'the first test installs the app').toBeDefined();
      const t = TEMPLATES.find((x) => x.name === 'react-ts')!;
      const dir = path.join(pnpmApp!, 'templates', t.name);
      await makeTemplateApp(dir, t);
      const bin = (name: string) => path.join(pnpmApp!, 'node_modules', '.bin', name);
      await typedImportsBuild(dir, t, bin, tscOf(pnpmApp!, t), { shareFrom: pnpmApp, typo: true });
    },
    INSTALL_TIMEOUT,
  );
});
