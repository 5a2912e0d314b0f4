// Installs pixlock the way a user does: the packages as `pnpm pack` makes them, installed by
// npm (and by pnpm, strict layout) into a fresh app outside the workspace, then init,
// generate, check, tsc and vite build there. Fails on a file missing from a tarball, a
// dependency missing from a package.json, or a type error in the published declarations.
// npm reaches the registry only for what its cache (kept under os.tmpdir() between runs)
// does not have yet; pnpm uses the store the workspace was installed from. It packs the dist
// the test run built (prepack, which cleans and rebuilds, is skipped: the other e2e tests are
// running from that dist at the same time).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const PACKAGES = ['core', 'cli', 'vite-plugin'] as const;
const NPM_CACHE = path.join(tmpdir(), 'pixlock-e2e-npm-cache');
const INSTALL_TIMEOUT = 240_000;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

// The child sees neither the workspace's bins nor pnpm's npm_config_* settings nor NODE_PATH:
// only what the app itself installed.
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|NODE_PATH$|NODE_OPTIONS$|VITEST)/i.test(k)) continue;
    env[k] = v;
  }
  env.PATH = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((p) => !p.includes(`${path.sep}node_modules${path.sep}`))
    .join(path.delimiter);
  return { ...env, CI: '1', NO_COLOR: '1', ...extra };
}

function exec(cmd: string, args: string[], cwd: string, timeout = 120_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { cwd, env: cleanEnv(), timeout, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs and expects exit 0, showing the output when it is not. */
async function ok(cmd: string, args: string[], cwd: string, timeout?: number): Promise<Run> {
  const r = await exec(cmd, args, cwd, timeout);
  expect(r.code, `${cmd} ${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r;
}

async function installedVersion(name: string): Promise<string> {
  const pkg = path.join(ROOT, 'node_modules', name, 'package.json');
  return (JSON.parse(await readFile(pkg, 'utf8')) as { version: string }).version;
}

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
    },
    // @pixlock/core ^0.1.0 is not on the registry: take it from its tarball.
    ...(manager === 'npm'
      ? { overrides: { '@pixlock/core': core } }
      : { pnpm: { overrides: { '@pixlock/core': core }, onlyBuiltDependencies: ['esbuild'] } }),
  };
  return JSON.stringify(pkg, null, 2);
}

const MAIN_TS = `import hero from 'pixlock:hero';
import avatar from 'pixlock:team/avatar';
import images from 'virtual:pixlock';

const img = document.createElement('img');
img.src = hero.src;
img.srcset = hero.srcset;
img.width = hero.width;
img.height = hero.height;
img.alt = avatar.prompt;
const count: number = Object.keys(images).length;
document.body.append(img, String(count));
`;

const PICTURE_TS = `import hero from 'pixlock:hero';
import { pictureHtml } from '@pixlock/vite-plugin/picture';

document.body.innerHTML = pictureHtml(hero, { loading: 'eager' });
`;

const CHROMIUM = '/usr/bin/chromium';

// Page-side code as a string: the test's own types have no DOM.
const SHOWN = `(async () => {
  const img = document.querySelector('picture > img');
  await img.decode();
  return {
    sources: [...document.querySelectorAll('picture > source')].map((s) => s.type),
    alt: img.alt,
    width: img.width,
    currentSrc: img.currentSrc,
    naturalWidth: img.naturalWidth,
    decoded: img.complete && img.naturalWidth > 0,
  };
})()`;

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.avif': 'image/avif',
  '.webp': 'image/webp',
};

/** The built app over HTTP on loopback, as any static host would serve it. */
async function serveFolder(root: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.join(root, rel === '/' ? 'index.html' : rel);
    if (!file.startsWith(root + path.sep)) return res.writeHead(403).end();
    readFile(file).then(
      (body) =>
        res
          .writeHead(200, {
            'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
          })
          .end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const TSCONFIG = (extra: object) =>
  JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2022', 'DOM'],
      module: 'ESNext',
      moduleResolution: 'Bundler',
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      verbatimModuleSyntax: true,
      ...('types' in extra ? { types: extra.types } : { types: ['vite/client'] }),
    },
    include: 'include' in extra ? extra.include : ['src'],
  });

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
        expect(shown.naturalWidth).toBeGreaterThan(0);
      } finally {
        await browser.close();
        await server.close();
      }
    },
    INSTALL_TIMEOUT,
  );
});

describe('installed with pnpm (strict layout)', () => {
  it(
    'init writes a $schema path that exists although core is not a direct dependency',
    async () => {
      const app = path.join(work, 'pnpm-app');
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
});
