// What the pack-and-install test (pack-install.e2e.test.ts) runs its apps with: child
// processes that see only what the app installed, the app's sources, and a static server.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const PACKAGES = ['core', 'cli', 'vite-plugin'] as const;
export const NPM_CACHE = path.join(tmpdir(), 'pixlock-e2e-npm-cache');
export const INSTALL_TIMEOUT = 240_000;

export interface Run {
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

export function exec(cmd: string, args: string[], cwd: string, timeout = 120_000): Promise<Run> {
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
export async function ok(cmd: string, args: string[], cwd: string, timeout?: number): Promise<Run> {
  const r = await exec(cmd, args, cwd, timeout);
  expect(r.code, `${cmd} ${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r;
}

export async function installedVersion(name: string): Promise<string> {
  const pkg = path.join(ROOT, 'node_modules', name, 'package.json');
  return (JSON.parse(await readFile(pkg, 'utf8')) as { version: string }).version;
}

export const MAIN_TS = `import hero from 'pixlock:hero';
import avatar from 'pixlock:team/avatar';
import images from 'virtual:pixlock';

const img = document.createElement('img');
img.src = hero.src;
img.srcset = hero.srcset;
img.width = hero.width;
img.height = hero.height;
img.alt = avatar.alt ?? avatar.id;
const count: number = Object.keys(images).length;
document.body.append(img, String(count));
`;

export const PICTURE_TS = `import hero from 'pixlock:hero';
import { pictureHtml } from '@pixlock/vite-plugin/picture';

document.body.innerHTML = pictureHtml(hero, { loading: 'eager' });
`;

export const CHROMIUM = '/usr/bin/chromium';

// Page-side code as a string: the test's own types have no DOM.
export const SHOWN = `(async () => {
  const img = document.querySelector('picture > img');
  await img.decode();
  return {
    sources: [...document.querySelectorAll('picture > source')].map((s) => s.type),
    alt: img.alt,
    width: Number(img.getAttribute('width')),
    // What the page lays out: inside its container, in the image's aspect ratio.
    shownWidth: img.getBoundingClientRect().width,
    shownHeight: img.getBoundingClientRect().height,
    containerWidth: document.body.clientWidth,
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
export async function serveFolder(root: string): Promise<{ url: string; close(): Promise<void> }> {
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

export const TSCONFIG = (extra: object) =>
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
