import { describe, expect, it } from 'vitest';
import { outputFolderOf, outputPathIn, outputPathProblem } from './output-path.js';

describe('output paths in a lock', () => {
  it('finds the folder of each name pixlock gives an image, whatever its id looks like', () => {
    expect(outputFolderOf('generated/hero.webp', 'hero')).toBe('generated');
    expect(outputFolderOf('generated/hero-640.avif', 'hero')).toBe('generated');
    expect(outputFolderOf('hero-640.avif', 'hero')).toBe('.');
    expect(outputFolderOf('src/my-images/team/ada-32.png', 'team/ada')).toBe('src/my-images');
    // An id that itself ends in a number: its full-size file, and its widths.
    expect(outputFolderOf('out/hero-2.jpg', 'hero-2')).toBe('out');
    expect(outputFolderOf('out/hero-2-640.jpg', 'hero-2')).toBe('out');
    expect(outputFolderOf('out/hero-2.jpg', 'hero')).toBe('out');
  });

  it('refuses names that are not an output of that image', () => {
    for (const [rel, id] of [
      ['generated/hero.txt', 'hero'],
      ['generated/xhero.webp', 'hero'],
      ['generated/hero-0.webp', 'hero'],
      ['generated/hero-01.webp', 'hero'],
      ['generated/hero-64.webp.bak', 'hero'],
      ['pixlock.yaml', 'pixlock'],
      ['/hero.webp', 'hero'],
    ] as const)
      expect(outputFolderOf(rel, id), rel).toBeUndefined();
  });

  it('allows an earlier outDir, never .git', () => {
    expect(outputPathProblem('old/hero.webp', 'generated', 'hero')).toBeUndefined();
    expect(outputPathProblem('.git/hero.webp', 'generated', 'hero')).toMatch(/inside \.git/);
    expect(outputPathProblem('sub/.git/x/hero.webp', 'generated', 'hero')).toMatch(/inside \.git/);
    expect(outputPathProblem('generated/hero.txt', 'generated', 'hero')).toMatch(/not a file/);
  });

  it('places an output in another outDir under the same name', () => {
    expect(outputPathIn('generated/team/ada-32.png', 'team/ada', 'src/gen')).toBe(
      'src/gen/team/ada-32.png',
    );
    expect(outputPathIn('generated/hero.webp', 'hero', '.')).toBe('hero.webp');
    expect(outputPathIn('hero.webp', 'hero', 'out')).toBe('out/hero.webp');
    expect(outputPathIn('generated/readme.md', 'hero', 'out')).toBeUndefined();
  });
});
