import { cp, symlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempProject, type TempProject } from '../test-utils/temp-project.js';
import { typeDeclarationsPlace } from './type-declarations-place.js';

const TEMPLATES = fileURLToPath(new URL('./__fixtures__/create-vite-9.3/', import.meta.url));

let project: TempProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

/** A project with `files`, and an empty src/ as every template has. */
async function app(files: Record<string, string>): Promise<TempProject> {
  project = await tempProject({ 'src/main.ts': '', ...files });
  return project;
}

describe('typeDeclarationsPlace', () => {
  // The configs the vue and svelte templates extend, as their packages ship them: neither
  // sets include, files or exclude, so they take no part in where the file goes.
  const extended = {
    'node_modules/@vue/tsconfig/package.json': '{"name":"@vue/tsconfig"}',
    'node_modules/@vue/tsconfig/tsconfig.dom.json': '{"compilerOptions":{"lib":["ES2020","DOM"]}}',
    'node_modules/@tsconfig/svelte/package.json': '{"name":"@tsconfig/svelte"}',
    'node_modules/@tsconfig/svelte/tsconfig.json': '{"compilerOptions":{"strict":true}}',
  };

  it.each([
    ['vanilla-ts', 'tsconfig.json'],
    ['react-ts', 'tsconfig.app.json'],
    ['vue-ts', 'tsconfig.app.json'],
    ['svelte-ts', 'tsconfig.app.json'],
  ])('puts it in src/ of an untouched %s app, which %s includes', async (template, config) => {
    const p = await app(extended);
    await cp(path.join(TEMPLATES, template), p.dir, { recursive: true });
    const place = await typeDeclarationsPlace(p.dir);
    expect(place.file).toBe(path.join(p.dir, 'src', 'pixlock-env.d.ts'));
    expect(place.project).toBe(path.join(p.dir, config));
    // Every config that took part, so a caller knows when to decide again.
    expect(place.inputs).toContain(path.join(p.dir, config));
    expect(place.inputs).toContain(path.join(p.dir, 'tsconfig.json'));
  });

  it('keeps it beside the manifest where a tsconfig includes it there', async () => {
    const p = await app({
      'tsconfig.json': '{ "include": ["src", "pixlock-env.d.ts"] }',
    });
    expect(await typeDeclarationsPlace(p.dir)).toMatchObject({
      file: path.join(p.dir, 'pixlock-env.d.ts'),
      project: path.join(p.dir, 'tsconfig.json'),
    });
  });

  it('uses the folder an include pattern names, with comments and trailing commas', async () => {
    const p = await app({
      'app/index.ts': '',
      'tsconfig.json': '{\n  // the app\n  "include": ["vite.config.ts", "app/**/*.ts",],\n}\n',
    });
    expect((await typeDeclarationsPlace(p.dir)).file).toBe(
      path.join(p.dir, 'app', 'pixlock-env.d.ts'),
    );
  });

  it('honours exclude, and falls back to beside the manifest when no project looks anywhere', async () => {
    const p = await app({
      'tsconfig.json': '{ "include": ["src/**/*.tsx"] }',
    });
    expect(await typeDeclarationsPlace(p.dir)).toEqual({
      file: path.join(p.dir, 'pixlock-env.d.ts'),
      inputs: [path.join(p.dir, 'tsconfig.json')],
    });
    await p.write('tsconfig.json', '{ "include": ["src"], "exclude": ["src/*.d.ts"] }');
    expect((await typeDeclarationsPlace(p.dir)).project).toBeUndefined();
  });

  it('never picks a folder reached through a symlink, which it could not write through', async () => {
    const p = await app({ 'tsconfig.json': '{ "include": ["app"] }', 'real/index.ts': '' });
    await symlink(path.join(p.dir, 'real'), path.join(p.dir, 'app'));
    expect((await typeDeclarationsPlace(p.dir)).file).toBe(path.join(p.dir, 'pixlock-env.d.ts'));
  });

  it('puts it beside the manifest without any tsconfig, as always', async () => {
    const p = await app({});
    expect(await typeDeclarationsPlace(p.dir)).toEqual({
      file: path.join(p.dir, 'pixlock-env.d.ts'),
      inputs: [],
    });
  });
});
