import type { ImageAsset } from '@pixlock/core';
import { describe, expect, it } from 'vitest';
import {
  ALL_IMAGES_ID,
  allImagesModuleCode,
  imageModuleCode,
  imageModuleId,
  parseImageModule,
  resolveImageModule,
} from './image-modules.js';

describe('module ids', () => {
  it('claims pixlock:<id> and virtual:pixlock, ids with folders included', () => {
    expect(resolveImageModule('pixlock:team/ada')).toBe('\0pixlock:team/ada');
    expect(resolveImageModule('virtual:pixlock')).toBe(ALL_IMAGES_ID);
    expect(resolveImageModule('./pixlock.ts')).toBeUndefined();
    expect(resolveImageModule('virtual:other')).toBeUndefined();
  });

  it('parses what it resolved, ignoring a dev-server query', () => {
    expect(parseImageModule(imageModuleId('team/ada'))).toEqual({ kind: 'image', id: 'team/ada' });
    expect(parseImageModule('\0pixlock:hero?t=123')).toEqual({ kind: 'image', id: 'hero' });
    expect(parseImageModule(ALL_IMAGES_ID)).toEqual({ kind: 'all' });
    expect(parseImageModule('pixlock:hero')).toBeUndefined(); // not resolved by us
    expect(parseImageModule('\0other')).toBeUndefined();
  });
});

describe('module code', () => {
  const file = (name: string, width: number) => ({
    file: `/p/generated/${name}`,
    width,
    height: width / 2,
    sha256: name,
  });
  const candidates = [file('ada-320.webp', 320), file('ada.webp', 800)];
  const asset: ImageAsset = {
    id: 'team/ada',
    exposed: {},
    format: 'webp',
    main: file('ada.webp', 800),
    candidates,
    sources: [{ format: 'webp', mediaType: 'image/webp', main: file('ada.webp', 800), candidates }],
  };
  /** A URL per file as a build would give it. */
  const urlOf = (f: { file: string }) => JSON.stringify(`/assets/${f.file.split('/').pop()}`);
  const evaluate = (code: string) =>
    new Function(code.replace('export default', 'return'))() as Record<string, unknown>;

  it('names each file once through urlOf, imports none, and builds src, srcset and the rest', () => {
    const code = imageModuleCode(asset, 'data:image/webp;base64,AAAA', urlOf);
    expect(code).not.toContain('import');
    expect(code).toContain('const url0 = "/assets/ada-320.webp";');
    expect(code).toContain('const url1 = "/assets/ada.webp";');
    expect(code.match(/const url\d/g)).toHaveLength(2);
    expect(evaluate(code)).toEqual({
      id: 'team/ada',
      src: '/assets/ada.webp',
      width: 800,
      height: 400,
      srcset: '/assets/ada-320.webp 320w, /assets/ada.webp 800w',
      format: 'webp',
      placeholder: 'data:image/webp;base64,AAAA',
      sources: [
        {
          format: 'webp',
          type: 'image/webp',
          srcset: '/assets/ada-320.webp 320w, /assets/ada.webp 800w',
        },
      ],
      img: {
        src: '/assets/ada.webp',
        srcset: '/assets/ada-320.webp 320w, /assets/ada.webp 800w',
        width: 800,
        height: 400,
      },
    });
  });

  it('gives a source per format in order of preference, the last as the img, with alt and sizes', () => {
    const avif = [file('ada-320.avif', 320), file('ada-640.avif', 640)];
    const webp = [file('ada-320.webp', 320), file('ada-640.webp', 640)];
    const value = evaluate(
      imageModuleCode(
        {
          id: 'team/ada',
          exposed: {},
          alt: 'Ada, "smiling" </script>',
          sizes: '(min-width: 800px) 50vw, 100vw',
          format: 'webp',
          main: webp[1]!,
          candidates: webp,
          sources: [
            { format: 'avif', mediaType: 'image/avif', main: avif[1]!, candidates: avif },
            { format: 'webp', mediaType: 'image/webp', main: webp[1]!, candidates: webp },
          ],
        },
        'data:,',
        urlOf,
      ),
    );
    expect(value).toMatchObject({
      src: '/assets/ada-640.webp',
      width: 640,
      format: 'webp',
      alt: 'Ada, "smiling" </script>',
      sizes: '(min-width: 800px) 50vw, 100vw',
      sources: [
        {
          format: 'avif',
          type: 'image/avif',
          srcset: '/assets/ada-320.avif 320w, /assets/ada-640.avif 640w',
        },
        {
          format: 'webp',
          type: 'image/webp',
          srcset: '/assets/ada-320.webp 320w, /assets/ada-640.webp 640w',
        },
      ],
      img: {
        src: '/assets/ada-640.webp',
        srcset: '/assets/ada-320.webp 320w, /assets/ada-640.webp 640w',
        sizes: '(min-width: 800px) 50vw, 100vw',
        width: 640,
        height: 320,
      },
    });
  });

  it('carries prompt, negative prompt, seed and task id only when exposed', () => {
    const hidden = imageModuleCode(asset, 'data:,', urlOf);
    for (const key of ['prompt', 'negativePrompt', 'seed', 'taskId']) {
      expect(hidden).not.toContain(key);
    }
    const exposed = { prompt: 'A "quoted" </script>', negativePrompt: 'n', seed: 7, taskId: 't' };
    expect(evaluate(imageModuleCode({ ...asset, exposed }, 'data:,', urlOf))).toMatchObject(
      exposed,
    );
  });

  it('gathers every image module by id in virtual:pixlock', () => {
    expect(allImagesModuleCode(['hero', 'team/ada'])).toBe(
      [
        'import image0 from "pixlock:hero";',
        'import image1 from "pixlock:team/ada";',
        'export default {',
        '  "hero": image0,',
        '  "team/ada": image1,',
        '};',
        '',
      ].join('\n'),
    );
  });
});
