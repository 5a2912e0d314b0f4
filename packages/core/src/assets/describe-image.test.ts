import { describe, expect, it } from 'vitest';
import { isPixlockError } from '../errors.js';
import { emptyLock, type LockEntry } from '../lock/lockfile.js';
import type { ResolvedImage, ResolvedManifest } from '../manifest/resolved-manifest.js';
import { describeImage } from './describe-image.js';

function image(id: string, over: Partial<ResolvedImage> = {}): ResolvedImage {
  return {
    id,
    prompt: `prompt of ${id}`,
    aspectRatio: '16:9',
    resolution: '1k',
    references: [],
    imageReferences: [],
    output: { format: 'webp', fit: 'cover' },
    sourceFile: '/p/pixlock.yaml',
    ...over,
  };
}

function entry(files: [path: string, width: number, height: number][]): LockEntry {
  return {
    generation: 'g',
    provider: 'placeholder',
    model: 'nanobanana2',
    seed: 1,
    taskId: 't',
    credits: 0,
    generatedAt: '2026-01-01T00:00:00.000Z',
    original: { sha256: 'o', mediaType: 'image/png', bytes: 1, width: 1024, height: 576 },
    output: {
      hash: 'h',
      files: files.map(([path, width, height]) => ({
        path,
        width,
        height,
        sha256: `sha-of-${path}`,
        bytes: 1,
      })),
    },
  };
}

/** A project in memory: describeImage reads nothing from disk. */
function project(): Parameters<typeof describeImage>[0] {
  const manifest: ResolvedManifest = {
    file: '/p/pixlock.yaml',
    dir: '/p',
    outDir: 'generated',
    provider: { name: 'placeholder', model: 'nanobanana2' },
    concurrency: 4,
    images: [
      image('hero', { output: { format: 'webp', fit: 'cover', widths: [1024, 320, 640] } }),
      image('team/ada', { output: { format: 'jpeg', fit: 'cover' } }),
      image('new'),
      image('pic', {
        alt: 'A picture',
        output: {
          format: 'avif',
          formats: ['avif', 'webp'],
          fit: 'cover',
          widths: [320, 640],
          sizes: '50vw',
        },
      }),
    ],
    files: ['/p/pixlock.yaml'],
  };
  const lock = emptyLock();
  lock.images.hero = entry([
    ['generated/hero.webp', 1024, 576],
    ['generated/hero-1024.webp', 1024, 576],
    ['generated/hero-320.webp', 320, 180],
    ['generated/hero-640.webp', 640, 360],
  ]);
  lock.images['team/ada'] = entry([['generated/team/ada.jpg', 768, 1024]]);
  lock.images.pic = entry([
    ['generated/pic-320.avif', 320, 180],
    ['generated/pic-640.avif', 640, 360],
    ['generated/pic-320.webp', 320, 180],
    ['generated/pic-640.webp', 640, 360],
  ]);
  return { manifest, lock };
}

describe('describeImage', () => {
  it('gives the main file and one srcset candidate per width, narrowest first', () => {
    const hero = describeImage(project(), 'hero');
    expect(hero).toMatchObject({ id: 'hero', exposed: {}, format: 'webp' });
    expect(hero.main).toEqual({
      file: '/p/generated/hero.webp',
      width: 1024,
      height: 576,
      sha256: 'sha-of-generated/hero.webp',
    });
    // The 1024 px responsive copy duplicates the main file's width: the main file wins.
    expect(hero.candidates.map((c) => [c.file, c.width])).toEqual([
      ['/p/generated/hero-320.webp', 320],
      ['/p/generated/hero-640.webp', 640],
      ['/p/generated/hero.webp', 1024],
    ]);
  });

  it('exposes prompt, negative prompt, seed and task id only as the manifest lists them', () => {
    const p = project();
    const hero = p.manifest.images[0]!;
    hero.negativePrompt = 'no text';
    expect(describeImage(p, 'hero').exposed).toEqual({});
    hero.expose = ['prompt', 'seed'];
    expect(describeImage(p, 'hero').exposed).toEqual({ prompt: 'prompt of hero', seed: 1 });
    hero.expose = ['negativePrompt', 'taskId'];
    expect(describeImage(p, 'hero').exposed).toEqual({ negativePrompt: 'no text', taskId: 't' });
    // With variants the shipped image is the chosen candidate: its seed, not the image's.
    const locked = p.lock.images.hero!;
    const candidate = { ...locked, seed: 77, taskId: 't2' };
    p.lock.images.hero = { ...locked, taskId: 't2', chosen: 2, candidates: [locked, candidate] };
    hero.expose = ['seed', 'taskId'];
    expect(describeImage(p, 'hero').exposed).toEqual({ seed: 77, taskId: 't2' });
  });

  it('handles ids with folders and reads the format from the locked file', () => {
    const ada = describeImage(project(), 'team/ada');
    expect(ada).toMatchObject({ format: 'jpeg', main: { file: '/p/generated/team/ada.jpg' } });
    expect(ada.candidates).toEqual([ada.main]);
  });

  it('gives every format in order of preference, the last as the fallback, with alt and sizes', () => {
    const pic = describeImage(project(), 'pic');
    expect(pic).toMatchObject({ format: 'webp', alt: 'A picture', sizes: '50vw' });
    expect(
      pic.sources.map((s) => [s.format, s.mediaType, s.candidates.map((c) => c.width)]),
    ).toEqual([
      ['avif', 'image/avif', [320, 640]],
      ['webp', 'image/webp', [320, 640]],
    ]);
    // No full-size file: the widest of the fallback is what src names.
    expect(pic.main.file).toBe('/p/generated/pic-640.webp');
    expect(pic.candidates).toEqual(pic.sources[1]!.candidates);
    expect(describeImage(project(), 'hero').sources).toHaveLength(1);
  });

  it('names the closest id for a typo', () => {
    const error = catchError(() => describeImage(project(), 'heroo'));
    expect(isPixlockError(error, 'USAGE')).toBe(true);
    expect((error as Error).message).toBe('no image "heroo" in pixlock.yaml; did you mean "hero"?');
  });

  it('says how to generate an image that is in the manifest but not the lock', () => {
    const error = catchError(() => describeImage(project(), 'new'));
    expect((error as Error).message).toBe(
      'image "new" is not generated yet: run pixlock generate --config /p/pixlock.yaml',
    );
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
