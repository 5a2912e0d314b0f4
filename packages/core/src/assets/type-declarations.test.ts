import { format } from 'prettier';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResolvedImage, ResolvedManifest } from '../manifest/resolved-manifest.js';
import { tempProject, type TempProject } from '../test-utils/temp-project.js';
import {
  typeDeclarations,
  typeDeclarationsCurrent,
  writeTypeDeclarations,
} from './type-declarations.js';

let project: TempProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

function manifest(ids: string[], over: Partial<ResolvedImage> = {}): ResolvedManifest {
  const image = (id: string): ResolvedImage => ({
    ...over,
    id,
    prompt: id,
    aspectRatio: '1:1',
    resolution: '1k',
    references: [],
    imageReferences: [],
    output: { format: 'webp', fit: 'cover' },
    sourceFile: '/p/pixlock.yaml',
  });
  return {
    file: '/p/pixlock.yaml',
    dir: '/p',
    outDir: 'generated',
    provider: { name: 'placeholder', model: 'nanobanana2' },
    concurrency: 4,
    images: ids.map(image),
    files: ['/p/pixlock.yaml'],
  };
}

describe('typeDeclarations', () => {
  it('declares one module per id, sorted, and one key per id', () => {
    const text = typeDeclarations(manifest(['team/ada', 'hero']), {
      reference: '@pixlock/vite-plugin/client',
    });
    expect(text)
      .toBe(`// Written by pixlock from pixlock.yaml; rewritten when it changes. Do not edit.
/// <reference types="@pixlock/vite-plugin/client" />

declare module 'virtual:pixlock' {
  interface PixlockImages {
    hero: PixlockImage;
    'team/ada': PixlockImage;
  }
}

declare module 'pixlock:hero' {
  import type { PixlockImage } from 'virtual:pixlock';
  const image: PixlockImage;
  export default image;
}

declare module 'pixlock:team/ada' {
  import type { PixlockImage } from 'virtual:pixlock';
  const image: PixlockImage;
  export default image;
}
`);
  });

  it('has no wildcard module, so a mistyped id stays an error', () => {
    expect(typeDeclarations(manifest(['hero']))).not.toContain('*');
  });

  it('references the image types without a catch-all by default, or nothing when told', () => {
    expect(typeDeclarations(manifest(['hero']))).toContain(
      '/// <reference types="@pixlock/vite-plugin/image-types" />',
    );
    expect(typeDeclarations(manifest(['hero']), { reference: false })).not.toContain('reference');
  });

  it("is already in Prettier's style, so formatting the repository never fights it", async () => {
    const text = typeDeclarations(manifest(['hero', 'a/b', 'og-image', 'x.y']), {
      reference: 'r',
    });
    const formatted = await format(text, {
      parser: 'typescript',
      singleQuote: true,
      printWidth: 100,
    });
    expect(formatted).toBe(text);
  });

  it("types the exposed generation fields as present, in Prettier's style too", async () => {
    const text = typeDeclarations(
      manifest(['hero', 'team/ada'], {
        expose: ['prompt', 'negativePrompt', 'seed', 'taskId'],
        negativePrompt: 'blurry',
      }),
    );
    expect(text).toContain(`declare module 'pixlock:hero' {
  import type { PixlockImage } from 'virtual:pixlock';
  const image: PixlockImage & {
    readonly prompt: string;
    readonly negativePrompt: string;
    readonly seed: number;
    readonly taskId: string;
  };
  export default image;
}`);
    expect(text).toContain("    'team/ada': PixlockImage & {\n      readonly prompt: string;");
    const formatted = await format(text, {
      parser: 'typescript',
      singleQuote: true,
      printWidth: 100,
    });
    expect(formatted).toBe(text);
    // No negative prompt to ship: the field stays optional rather than promised.
    expect(typeDeclarations(manifest(['hero'], { expose: ['negativePrompt'] }))).toContain(
      'const image: PixlockImage;',
    );
  });
});

describe('writeTypeDeclarations', () => {
  it('writes only when the text changes', async () => {
    project = await tempProject({});
    const file = `${project.dir}/types/pixlock-env.d.ts`;
    expect(await writeTypeDeclarations(manifest(['hero']), file)).toBe(true);
    expect(await writeTypeDeclarations(manifest(['hero']), file)).toBe(false);
    expect(await writeTypeDeclarations(manifest(['hero', 'logo']), file)).toBe(true);
    expect(await project.read('types/pixlock-env.d.ts')).toContain("declare module 'pixlock:logo'");
  });

  it('is current only when the file holds exactly what would be written', async () => {
    project = await tempProject({});
    const file = `${project.dir}/pixlock-env.d.ts`;
    expect(await typeDeclarationsCurrent(manifest(['hero']), file)).toBe(false);
    await writeTypeDeclarations(manifest(['hero']), file);
    expect(await typeDeclarationsCurrent(manifest(['hero']), file)).toBe(true);
    expect(await typeDeclarationsCurrent(manifest(['hero', 'logo']), file)).toBe(false);
    await project.write('pixlock-env.d.ts', (await project.read('pixlock-env.d.ts')) + '// edit\n');
    expect(await typeDeclarationsCurrent(manifest(['hero']), file)).toBe(false);
  });
});
