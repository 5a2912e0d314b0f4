import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { isPixlockError, type Diagnostic } from '../../errors.js';
import { tempProject, type TempProject } from '../../test-utils/temp-project.js';
import { loadManifest } from '../load-manifest.js';
import { geminiImageProblems } from './gemini-image-problems.js';

let project: TempProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

/** The diagnostics of loading these files, as `file:line:column message`. */
async function problems(files: Record<string, string>): Promise<string[]> {
  project = await tempProject(files);
  const error = await loadManifest(project.config).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error === undefined) return [];
  if (!isPixlockError(error, 'MANIFEST_INVALID')) throw error;
  const dir = project.dir;
  return error.diagnostics.map(
    (d: Diagnostic) => `${d.file.slice(dir.length + 1)}:${d.line}:${d.column} ${d.message}`,
  );
}

const manifest = (provider: string, rest: string) =>
  `version: 1\nprovider: { name: gemini${provider} }\n${rest}`;

describe('what a Gemini model cannot draw is a manifest error at the line that asks', () => {
  it("points at an image's own resolution, once at the defaults', and at the model for the implicit default", async () => {
    const lite = ', model: gemini-3.1-flash-lite-image';
    expect(
      await problems({
        'pixlock.yaml': manifest(
          lite,
          'defaults: { resolution: 1k }\nimages:\n  a: { prompt: x }\n  b:\n    prompt: y\n    resolution: 4k\n',
        ),
      }),
    ).toEqual([
      'pixlock.yaml:8:17 resolution 4k: gemini model gemini-3.1-flash-lite-image draws 1k only; set resolution: 1k or choose another model',
    ]);
    expect(
      await problems({
        'pixlock.yaml': manifest(
          lite,
          'defaults: { resolution: 2k }\nimages:\n  a: { prompt: x }\n  b: { prompt: y }\n',
        ),
      }),
    ).toEqual([
      'pixlock.yaml:3:25 resolution 2k: gemini model gemini-3.1-flash-lite-image draws 1k only; set resolution: 1k or choose another model',
    ]);
    const implicit = await problems({
      'pixlock.yaml': manifest(lite, 'images:\n  a: { prompt: x }\n  b: { prompt: y }\n'),
    });
    expect(implicit).toHaveLength(1);
    expect(implicit[0]).toMatch(
      /^pixlock\.yaml:2:34 resolution 2k \(the default when no resolution is set\)/,
    );
  });

  it('points into an included file, and accepts what the model draws', async () => {
    expect(
      await problems({
        'pixlock.yaml': manifest(
          ', model: gemini-2.5-flash-image',
          'include: ["more/*.yaml"]\ndefaults: { resolution: 1k }\nimages:\n  a: { prompt: x }\n',
        ),
        'more/b.yaml': 'images:\n  b:\n    prompt: y\n    resolution: 2k\n',
      }),
    ).toEqual([
      'more/b.yaml:4:17 resolution 2k: gemini model gemini-2.5-flash-image draws 1k only; set resolution: 1k or choose another model',
    ]);
    expect(
      await problems({
        'pixlock.yaml': manifest(', mode: batch', 'images:\n  a: { prompt: x, resolution: 4k }\n'),
      }),
    ).toEqual([]);
  });

  it('names the replacement of a retired model, at the model', async () => {
    expect(
      await problems({
        'pixlock.yaml': manifest(
          ', model: gemini-3-pro-image-preview',
          'images:\n  a: { prompt: x }\n',
        ),
      }),
    ).toEqual([
      'pixlock.yaml:2:34 gemini model gemini-3-pro-image-preview was shut down on 2026-06-25; use gemini-3-pro-image',
    ]);
  });

  it('refuses a GIF reference file, which the API does not take, at its item', async () => {
    project = undefined;
    const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#f00' } })
      .gif()
      .toBuffer();
    project = await tempProject({
      'pixlock.yaml': manifest(
        '',
        'images:\n  a:\n    prompt: x\n    references: [refs/ok.png, refs/anim.gif]\n',
      ),
    });
    await project.write('refs/anim.gif', '');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${project.dir}/refs/anim.gif`, gif);
    await writeFile(
      `${project.dir}/refs/ok.png`,
      await sharp({ create: { width: 4, height: 4, channels: 3, background: '#0f0' } })
        .png()
        .toBuffer(),
    );
    const error = await loadManifest(project.config).catch((e: unknown) => e);
    expect(isPixlockError(error, 'MANIFEST_INVALID')).toBe(true);
    const [d] = (error as { diagnostics: Diagnostic[] }).diagnostics;
    expect(d).toMatchObject({ line: 6, path: ['images', 'a', 'references', 1] });
    expect(d!.message).toContain('the Gemini API takes PNG, JPEG, WebP, HEIC or HEIF');
  });

  it('counts references against the model, and leaves a model it does not know to the API', () => {
    const models = [
      { id: 'tiny-image', resolutions: ['1k' as const], aspectRatios: ['1:1'], maxReferences: 1 },
    ];
    const input = (model: string) => ({
      main: {
        provider: { name: 'gemini' as const, model },
        defaults: { aspectRatio: '1:1' as const },
      },
      mainFile: '/p/pixlock.yaml',
      sources: [
        {
          file: '/p/pixlock.yaml',
          images: {
            a: {
              prompt: 'x',
              resolution: '1k' as const,
              references: ['https://e.test/1.png', 'https://e.test/2.png'],
            },
            b: { prompt: 'y', resolution: '4k' as const, aspectRatio: '16:9' as const },
          },
        },
      ],
    });
    const at = (_f: string, p: (string | number)[]) => ({ line: p.length, column: 1 });
    expect(
      geminiImageProblems(input('tiny-image'), at, models).map((d) => d.path.join('.')),
    ).toEqual(['images.a.references', 'images.b.resolution', 'images.b.aspectRatio']);
    expect(geminiImageProblems(input('next-year-image'), at, models)).toEqual([]);
  });
});
