import { describe, expect, it } from 'vitest';
import { imageReferenceProblems, type ImageSource } from './image-reference-problems.js';

// Each edge's "line" is its index in the file's image list, so messages can be checked.
function locate(sources: ImageSource[]) {
  return (file: string, p: (string | number)[]) => {
    const source = sources.find((s) => s.file === file)!;
    return { line: Object.keys(source.images).indexOf(String(p[1])) + 1, column: 1 };
  };
}

const refs = (...ids: string[]) => ({ references: ids.map((image) => ({ image })) });

describe('imageReferenceProblems', () => {
  it('accepts a diamond and a long chain (100,000 images, no stack overflow)', () => {
    const diamond: ImageSource[] = [
      { file: '/p/a.yaml', images: { a: {}, b: refs('a'), c: refs('a'), d: refs('b', 'c') } },
    ];
    expect(imageReferenceProblems(diamond, '/p', locate(diamond))).toEqual([]);
    const images: ImageSource['images'] = { 'n-0': {} };
    for (let i = 1; i < 100_000; i++) images[`n-${i}`] = refs(`n-${i - 1}`);
    const chain = [{ file: '/p/a.yaml', images }];
    expect(imageReferenceProblems(chain, '/p', () => ({ line: 1, column: 1 }))).toEqual([]);
  });

  it('reports each cycle once, naming every edge with its file and line', () => {
    const sources: ImageSource[] = [
      { file: '/p/pixlock.yaml', images: { a: refs('b'), x: refs('y'), y: refs('x') } },
      { file: '/p/more/b.yaml', images: { b: refs('a') } },
    ];
    const problems = imageReferenceProblems(sources, '/p', locate(sources));
    expect(problems.map((p) => [p.file, p.line, p.message])).toEqual([
      ['/p/pixlock.yaml', 1, 'reference cycle: a → b (pixlock.yaml:1), b → a (more/b.yaml:1)'],
      ['/p/pixlock.yaml', 2, 'reference cycle: x → y (pixlock.yaml:2), y → x (pixlock.yaml:3)'],
    ]);
  });

  it('names an unknown id (with the closest one) and a self reference at their items', () => {
    const sources: ImageSource[] = [
      {
        file: '/p/pixlock.yaml',
        images: { 'characters/mia': refs('characters/mia'), park: refs('characters/mai') },
      },
    ];
    const problems = imageReferenceProblems(sources, '/p', locate(sources));
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      [['images', 'characters/mia', 'references', 0], 'image "characters/mia" references itself'],
      [
        ['images', 'park', 'references', 0],
        'reference to unknown image "characters/mai" (did you mean "characters/mia"?)',
      ],
    ]);
  });
});
