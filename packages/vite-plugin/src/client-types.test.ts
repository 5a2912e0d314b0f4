import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProject, typeDeclarations } from '@pixlock/core';
import ts from 'typescript';
import { afterEach, expect, it } from 'vitest';
import { EXAMPLE_DIR } from './test-utils/example-app.js';

const IMAGE_TYPES_DTS = fileURLToPath(new URL('../image-types.d.ts', import.meta.url));
const CLIENT_DTS = fileURLToPath(new URL('../client.d.ts', import.meta.url));

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

const USER_CODE = `import hero from 'pixlock:hero';
import forest from 'pixlock:gallery/forest';
import typo from 'pixlock:heroo';
import images from 'virtual:pixlock';
import type { PixlockImage } from 'virtual:pixlock';

const width: number = hero.width;
const srcset: string = images['gallery/dunes'].srcset;
const one: PixlockImage = forest;
const missing = images['nope'];
export { width, srcset, one, typo, missing };
`;

it('types every image of the manifest, and a mistyped id is a type error', async () => {
  const { manifest } = await loadProject(path.join(EXAMPLE_DIR, 'pixlock.yaml'));
  dir = await mkdtemp(path.join(tmpdir(), 'pixlock-types-'));
  const env = path.join(dir, 'pixlock-env.d.ts');
  const main = path.join(dir, 'main.ts');
  // No reference: the client types are a root file here, as `types` would make them.
  await writeFile(env, typeDeclarations(manifest, { reference: false }));
  await writeFile(main, USER_CODE);
  const program = ts.createProgram([IMAGE_TYPES_DTS, env, main], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    verbatimModuleSyntax: true,
    types: [],
  });
  const errors = ts.getPreEmitDiagnostics(program).map((d) => {
    const { line } = d.file!.getLineAndCharacterOfPosition(d.start!);
    return `${path.basename(d.file!.fileName)}:${line + 1} TS${d.code}`;
  });
  // Only the two typos: `pixlock:heroo` and `images['nope']`.
  expect(errors).toEqual(['main.ts:3 TS2307', 'main.ts:10 TS7053']);
});

it('types an exposed prompt as a string, and one not exposed as possibly missing', async () => {
  const { manifest } = await loadProject(path.join(EXAMPLE_DIR, 'pixlock.yaml'));
  manifest.images.find((i) => i.id === 'hero')!.expose = ['prompt', 'seed'];
  dir = await mkdtemp(path.join(tmpdir(), 'pixlock-types-'));
  const env = path.join(dir, 'pixlock-env.d.ts');
  const main = path.join(dir, 'main.ts');
  await writeFile(env, typeDeclarations(manifest, { reference: false }));
  await writeFile(
    main,
    `import hero from 'pixlock:hero';
import forest from 'pixlock:gallery/forest';
import images from 'virtual:pixlock';
const a: string = hero.prompt;
const b: number = images.hero.seed;
const c: string = forest.prompt;
const d: string | undefined = forest.prompt;
export { a, b, c, d };
`,
  );
  const program = ts.createProgram([IMAGE_TYPES_DTS, env, main], {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: [],
  });
  const errors = ts.getPreEmitDiagnostics(program).map((d) => {
    const { line } = d.file!.getLineAndCharacterOfPosition(d.start!);
    return `${path.basename(d.file!.fileName)}:${line + 1} TS${d.code}`;
  });
  // Only forest's prompt, which its manifest entry does not expose.
  expect(errors).toEqual(['main.ts:6 TS2322']);
});

it('types any pixlock:<id> import from client.d.ts alone, with no generated file', async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pixlock-types-'));
  const main = path.join(dir, 'main.ts');
  await writeFile(
    main,
    `import hero from 'pixlock:hero';
import ada from 'pixlock:team/ada';
import type { PixlockImage } from 'virtual:pixlock';
const width: number = hero.width;
const one: PixlockImage = ada;
const wrong: string = hero.height;
export { width, one, wrong };
`,
  );
  const program = ts.createProgram([CLIENT_DTS, main], {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: [],
  });
  const errors = ts.getPreEmitDiagnostics(program).map((d) => {
    const { line } = d.file!.getLineAndCharacterOfPosition(d.start!);
    return `${path.basename(d.file!.fileName)}:${line + 1} TS${d.code}`;
  });
  // Only the deliberate mistake: the image is typed, not `any`.
  expect(errors).toEqual(['main.ts:6 TS2322']);
});
