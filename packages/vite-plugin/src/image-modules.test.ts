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
  const asset: ImageAsset = {
    id: 'team/ada',
    prompt: 'A "quoted" prompt',
    format: 'webp',
    main: file('ada.webp', 800),
    candidates: [file('ada-320.webp', 320), file('ada.webp', 800)],
  };

  it('imports each file as ?url and builds src, srcset and the rest', async () => {
    const code = imageModuleCode(asset, 'data:image/webp;base64,AAAA');
    expect(code).toContain('import url0 from "/p/generated/ada-320.webp?url";');
    expect(code).toContain('import url1 from "/p/generated/ada.webp?url";');
    // Run it with the imports replaced by what Vite would give.
    const body = code
      .replace(
        /import (url\d) from "(.+)\?url";/g,
        'const $1 = "/assets/" + "$2".split("/").pop();',
      )
      .replace('export default', 'return');
    const value = new Function(body)() as Record<string, unknown>;
    expect(value).toEqual({
      id: 'team/ada',
      src: '/assets/ada.webp',
      width: 800,
      height: 400,
      srcset: '/assets/ada-320.webp 320w, /assets/ada.webp 800w',
      format: 'webp',
      placeholder: 'data:image/webp;base64,AAAA',
      prompt: 'A "quoted" prompt',
    });
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
