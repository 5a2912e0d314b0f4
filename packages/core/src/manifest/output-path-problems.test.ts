import { describe, expect, it } from 'vitest';
import type { ResolvedImage, ResolvedManifest } from './resolved-manifest.js';
import { NAME_MAX, outputPathProblems, pathMax } from './output-path-problems.js';

const image = (id: string, output: Partial<ResolvedImage['output']> = {}): ResolvedImage => ({
  id,
  prompt: 'x',
  aspectRatio: '1:1',
  resolution: '1k',
  references: [],
  imageReferences: [],
  output: { format: 'webp', fit: 'cover', ...output },
  sourceFile: '/p/pixlock.yaml',
});

function problemsOf(images: ResolvedImage[], extra: Partial<ResolvedManifest> = {}) {
  const manifest: ResolvedManifest = {
    file: '/p/pixlock.yaml',
    dir: '/p',
    outDir: 'generated',
    provider: { name: 'placeholder', model: 'nanobanana2' },
    concurrency: 4,
    images,
    files: ['/p/pixlock.yaml'],
    ...extra,
  };
  // Where each diagnostic points: the path it is at.
  return outputPathProblems(manifest, (_f, p) => ({ line: p.length, column: 1 }));
}

describe('output path limits, found before anything is spent', () => {
  it('measures the longest name an image writes: its widest width and longest extension', () => {
    const name = 'a'.repeat(NAME_MAX - '-16384.avif'.length);
    expect(problemsOf([image(name, { formats: ['avif', 'jpeg'], widths: [640, 16384] })])).toEqual(
      [],
    );
    const [d] = problemsOf([image(`${name}b`, { formats: ['avif'], widths: [16384] })]);
    expect(d).toMatchObject({ path: ['images', `${name}b`] });
    expect(d?.message).toMatch(/256 bytes; file systems take at most 255 per name/);
    // The full-size file alone is shorter: the same id is fine without widths.
    expect(problemsOf([image(`${name}b`)])).toEqual([]);
  });

  it('counts bytes, not characters', () => {
    // 125 × 2 bytes + ".webp": 255.
    expect(problemsOf([image('é'.repeat(125))])).toEqual([]);
    expect(problemsOf([image('é'.repeat(126))])[0]?.message).toMatch(/257 bytes/);
  });

  it('refuses a path the lock could not record (over 1024 characters), at the id', () => {
    const deep = Array.from({ length: 600 }, () => 'a').join('/');
    const [d] = problemsOf([image('ok'), image(deep)]);
    expect(d?.path).toEqual(['images', deep]);
    expect(d?.message).toMatch(/a lock records paths of at most 1024/);
  });

  it('refuses a whole path over the platform limit, counted from the root', () => {
    const dir = `/${'p'.repeat(pathMax() - 20)}`;
    const [d] = problemsOf([image('hero-and-more-words')], { dir, file: `${dir}/pixlock.yaml` });
    expect(d?.message).toMatch(/this system takes paths of at most/);
  });

  it('refuses a drive or a colon in outDir, once, at outDir', () => {
    for (const outDir of ['C:/x', 'c:', 'out/a:b']) {
      const found = problemsOf([image('a'), image('b')], { outDir });
      expect(found).toHaveLength(1);
      expect(found[0]?.path).toEqual(['outDir']);
    }
  });

  it('refuses names a Windows checkout cannot hold', () => {
    expect(problemsOf([image('icons/nul')])[0]?.message).toMatch(/device name on Windows/);
    expect(problemsOf([image('com1/a')])[0]?.message).toMatch(/device name on Windows/);
    expect(problemsOf([image('a./b')])[0]?.message).toMatch(/ends with a dot/);
    expect(problemsOf([image('consoles'), image('nullish/a'), image('a.b/c')])).toEqual([]);
  });
});
