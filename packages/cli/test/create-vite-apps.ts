// Apps made from the create-vite 9.3 templates' own tsconfig files (kept unchanged in core's
// __fixtures__), for the pack-and-install test: what each template's `npm run build` runs
// before `vite build`, and the packages its tsconfig files need. One install serves them all:
// each app is a folder inside the installed app, so TypeScript and Node find the packages in
// the node_modules above it.
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { exec, ok, ROOT } from './pack-install-helpers.js';

export const TEMPLATES_DIR = path.join(
  ROOT,
  'packages/core/src/assets/__fixtures__/create-vite-9.3',
);

/** A template, and how its build script type-checks. */
export interface Template {
  name: 'vanilla-ts' | 'react-ts' | 'vue-ts' | 'svelte-ts';
  /** The TypeScript major its package.json asks for (7 or 6). */
  typescript: number;
  /**
   * tsc runs as its package.json scripts run them. vue-ts builds with `vue-tsc -b`, which is
   * `tsc -b` plus .vue files (there are none here); svelte-ts's `check` script runs
   * svelte-check on tsconfig.app.json (tsc on it here, no .svelte files) and tsc on the rest.
   */
  checks: string[][];
}

export const TEMPLATES: Template[] = [
  { name: 'vanilla-ts', typescript: 7, checks: [[]] }, // "tsc && vite build"
  { name: 'react-ts', typescript: 7, checks: [['-b']] }, // "tsc -b && vite build"
  { name: 'vue-ts', typescript: 6, checks: [['-b']] }, // "vue-tsc -b && vite build"
  {
    name: 'svelte-ts',
    typescript: 6,
    checks: [
      ['-p', 'tsconfig.app.json'],
      ['-p', 'tsconfig.node.json'],
    ],
  },
];

/** The npm alias each TypeScript major is installed under beside the app's own TypeScript. */
export const typescriptAlias = (major: number) => `typescript${major}`;

/**
 * What the templates' tsconfig files need installed, at the versions their package.json files
 * ask for: TypeScript 7 and 6 (as aliases), @types/node (tsconfig.node.json), the configs vue
 * and svelte extend, and svelte (`types: ["svelte"]`).
 */
export async function templateDependencies(
  templates: readonly Template[] = TEMPLATES,
): Promise<Record<string, string>> {
  const deps: Record<string, string> = {};
  for (const t of templates) {
    const pkg = JSON.parse(
      await readFile(path.join(TEMPLATES_DIR, t.name, 'package.json'), 'utf8'),
    ) as { devDependencies: Record<string, string> };
    const dev = pkg.devDependencies;
    deps[typescriptAlias(t.typescript)] = `npm:typescript@${dev.typescript}`;
    for (const name of ['@types/node', '@vue/tsconfig', '@tsconfig/svelte', 'svelte']) {
      if (dev[name]) deps[name] = dev[name];
    }
  }
  return deps;
}

/** The tsc of a template's TypeScript, in the installed app at `root`. */
export const tscOf = (root: string, t: Template) =>
  path.join(root, 'node_modules', typescriptAlias(t.typescript), 'bin', 'tsc');

export const VITE_CONFIG = `import pixlock from '@pixlock/vite-plugin';
import { defineConfig } from 'vite';

export default defineConfig({ plugins: [pixlock()] });
`;

export const TEMPLATE_MAIN_TS = `import hero from 'pixlock:hero';

const img = document.createElement('img');
img.src = hero.src;
img.width = hero.width;
img.height = hero.height;
img.alt = hero.alt ?? '';
document.body.append(img);
`;

/** A template's files as create-vite writes them (its tsconfig files and package.json), a src/ folder, an index.html and a vite.config.ts that adds pixlock. */
export async function makeTemplateApp(dir: string, t: Template): Promise<void> {
  await mkdir(path.join(dir, 'src'), { recursive: true });
  await cp(path.join(TEMPLATES_DIR, t.name), dir, { recursive: true });
  await writeFile(path.join(dir, 'vite.config.ts'), VITE_CONFIG);
  await writeFile(
    path.join(dir, 'index.html'),
    '<!doctype html><html><body><script type="module" src="/src/main.ts"></script></body></html>\n',
  );
}

/**
 * In an app made by makeTemplateApp, what a new user does and what the template's build then
 * runs: `pixlock init` (which says where the declarations go), `pixlock generate`, an import
 * of `pixlock:hero`, the template's type-check (which, with `typo`, a mistyped id must fail:
 * the modules are typed per id, not by a catch-all), and `vite build`. `shareFrom` is an app
 * whose images are generated already: its lock, originals and outputs are copied in first,
 * so only one app pays the encoding.
 */
export async function typedImportsBuild(
  dir: string,
  t: Template,
  bin: (name: string) => string,
  tsc: string,
  options: { shareFrom?: string; typo?: boolean } = {},
): Promise<void> {
  const { shareFrom } = options;
  const init = await ok(bin('pixlock'), ['init'], dir);
  expect(init.stdout).toMatch(
    /^types: pixlock generate writes src\/pixlock-env\.d\.ts, which tsconfig(\.app)?\.json already includes$/m,
  );
  if (shareFrom) {
    for (const f of ['pixlock.lock', '.pixlock/originals', 'generated']) {
      await cp(path.join(shareFrom, f), path.join(dir, f), { recursive: true });
    }
  }
  await ok(bin('pixlock'), ['generate'], dir);
  expect(existsSync(path.join(dir, 'src/pixlock-env.d.ts')), t.name).toBe(true);
  expect(existsSync(path.join(dir, 'pixlock-env.d.ts')), t.name).toBe(false);
  await writeFile(path.join(dir, 'src/main.ts'), TEMPLATE_MAIN_TS);
  for (const args of t.checks) await ok(process.execPath, [tsc, ...args], dir);
  if (options.typo) {
    await writeFile(
      path.join(dir, 'src/typo.ts'),
      "import x from 'pixlock:heroo';\nexport { x };\n",
    );
    const typo = await exec(process.execPath, [tsc, ...t.checks[0]!], dir);
    expect(typo.code, t.name).not.toBe(0);
    expect(typo.stdout, t.name).toMatch(/typo\.ts.*TS2307/);
    await rm(path.join(dir, 'src/typo.ts'));
  }
  await ok(bin('vite'), ['build'], dir);
  const assets = await readdir(path.join(dir, 'dist/assets'));
  expect(
    assets.some((f) => /^hero-\d+-[\w-]{8}\.avif$/.test(f)),
    t.name,
  ).toBe(true);
}
