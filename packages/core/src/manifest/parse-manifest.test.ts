import { describe, expect, it } from 'vitest';
import { formatDiagnostic, isPixlockError, type Diagnostic } from '../errors.js';
import { tempProject } from '../test-utils/temp-project.js';
import { loadManifest } from './load-manifest.js';
import { parseManifestText } from './parse-manifest-text.js';
import { manifestSchema } from './schema.js';

function diagnostics(text: string): Diagnostic[] {
  const result = parseManifestText(text, '/p/pixlock.yaml', manifestSchema);
  if (result.ok) throw new Error('expected the manifest to be rejected');
  return result.diagnostics;
}

const HEAD = 'version: 1\nprovider:\n  name: placeholder\nimages:\n';

describe('manifest validation', () => {
  it('accepts a valid manifest', () => {
    const r = parseManifestText(
      `${HEAD}  hero:\n    prompt: x\n    seed: 4\n`,
      '/p/pixlock.yaml',
      manifestSchema,
    );
    expect(r.ok).toBe(true);
  });

  it('reports YAML syntax errors with line and column', () => {
    const [d, ...rest] = diagnostics(
      'version: 1\nprovider: {name: placeholder\nimages:\n  a:\n    prompt: x\n',
    );
    expect(rest).toHaveLength(0);
    expect(d!.message).toMatch(/YAML syntax error/);
    expect(d!.line).toBeGreaterThanOrEqual(2);
    expect(formatDiagnostic(d!)).toMatch(/^\/p\/pixlock\.yaml:\d+:\d+: YAML syntax error/);
  });

  it('names unknown keys at their line and suggests the near name', () => {
    const [d] = diagnostics(`${HEAD}  hero:\n    prompt: x\n    aspect_ratio: "1:1"\n`);
    expect(d).toMatchObject({ line: 7, column: 5, path: ['images', 'hero', 'aspect_ratio'] });
    expect(d!.message).toBe('unknown key "aspect_ratio" (did you mean "aspectRatio"?)');
  });

  it('rejects bad enum values and lists the allowed ones', () => {
    const [d] = diagnostics(`${HEAD}  hero:\n    prompt: x\n    output:\n      format: gif\n`);
    expect(d).toMatchObject({ line: 8, column: 15, path: ['images', 'hero', 'output', 'format'] });
    expect(d!.message).toBe('"gif" is not allowed here; expected one of: webp, avif, png, jpeg');
  });

  it('rejects a duplicate id in one file', () => {
    const [d] = diagnostics(`${HEAD}  hero:\n    prompt: x\n  hero:\n    prompt: y\n`);
    expect(d).toMatchObject({ line: 7, column: 3 });
    expect(d!.message).toMatch(/unique/);
  });

  it.each([
    ['../escape', /"\.\." and would escape outDir/],
    ['a/../../b', /"\.\." and would escape outDir/],
    ['/etc/passwd', /absolute path and would escape outDir/],
    ['"a\\\\b"', /backslash/],
    ['Hero', /lowercase/],
  ])('rejects the id %s', (id, message) => {
    const [d] = diagnostics(`${HEAD}  ${id}:\n    prompt: x\n`);
    expect(d!.message).toMatch(message);
    expect(d).toMatchObject({ line: 5, column: 3 });
  });

  it('rejects width together with widths', () => {
    const [d] = diagnostics(
      `${HEAD}  hero:\n    prompt: x\n    output: { width: 100, widths: [50] }\n`,
    );
    expect(d!.message).toMatch(/"width" and "widths" cannot be used together/);
    expect(d!.path).toEqual(['images', 'hero', 'output', 'widths']);
    expect(d!.line).toBe(7);
  });

  it('rejects an unknown version with a clear message', () => {
    const [d] = diagnostics('version: 3\nprovider:\n  name: placeholder\n');
    expect(d).toMatchObject({ line: 1, column: 10 });
    expect(d!.message).toBe('unsupported manifest version 3: this pixlock reads version 1');
  });

  it('reports every problem of a file together, in line order', () => {
    const ds = diagnostics(
      `version: 1\nprovider:\n  name: placeholdr\nconcurency: 4\nimages:\n  hero:\n    prompt: 3\n    seed: -1\n`,
    );
    expect(ds.map((d) => d.line)).toEqual([3, 4, 7, 8]);
    expect(ds[1]!.message).toBe('unknown key "concurency" (did you mean "concurrency"?)');
    expect(ds[2]!.message).toBe('expected a string, got 3');
    expect(ds[3]!.message).toMatch(/out of range: must be at least 0/);
  });

  it('reports a missing required key at its parent', () => {
    const [d] = diagnostics(`${HEAD}  hero:\n    seed: 1\n`);
    expect(d!.message).toBe('missing required key "prompt"');
    expect(d).toMatchObject({ line: 5, column: 3 });
  });
});

describe('loadManifest', () => {
  it('merges included files and rejects an id defined twice across files, naming both places', async () => {
    const p = await tempProject({
      'pixlock.yaml': `version: 1\nprovider: { name: placeholder }\ninclude: ["src/**/*.pixlock.yaml"]\nimages:\n  hero:\n    prompt: x\n`,
      'src/a.pixlock.yaml': `images:\n  other:\n    prompt: y\n  hero:\n    prompt: z\n`,
    });
    try {
      const error = await loadManifest(p.config).catch((e: unknown) => e);
      expect(isPixlockError(error, 'MANIFEST_INVALID')).toBe(true);
      const [d] = (error as { diagnostics: Diagnostic[] }).diagnostics;
      expect(d!.file).toBe(`${p.dir}/src/a.pixlock.yaml`);
      expect(d).toMatchObject({ line: 4, column: 3 });
      expect(d!.message).toBe(`duplicate image id "hero": already defined at ${p.config}:5:3`);
    } finally {
      await p.cleanup();
    }
  });

  it('reports the problems of every included file together', async () => {
    const p = await tempProject({
      'pixlock.yaml': `version: 1\nprovider: { name: placeholder }\ninclude: ["parts/*.yaml"]\n`,
      'parts/a.yaml': `images:\n  a:\n    promt: y\n`,
      'parts/b.yaml': `images:\n  b:\n    prompt: y\n    resolution: 8k\n`,
    });
    try {
      const error = (await loadManifest(p.config).catch((e: unknown) => e)) as {
        diagnostics: Diagnostic[];
        message: string;
      };
      expect(error.message).toBe('the manifest has 3 problems in 2 files');
      expect(error.diagnostics.map((d) => `${d.file.slice(p.dir.length)}:${d.line}`)).toEqual([
        '/parts/a.yaml:2',
        '/parts/a.yaml:3',
        '/parts/b.yaml:4',
      ]);
    } finally {
      await p.cleanup();
    }
  });

  it('applies defaults; an image sizing replaces the default sizing', async () => {
    const p = await tempProject({
      'pixlock.yaml': `version: 1\nprovider: { name: placeholder }\ndefaults:\n  resolution: 1k\n  output: { format: avif, width: 800 }\nimages:\n  a: { prompt: x }\n  b: { prompt: y, output: { widths: [100, 50, 100] } }\n`,
    });
    try {
      const m = await loadManifest(p.config);
      expect(m.images.map((i) => [i.id, i.resolution, i.aspectRatio, i.output])).toEqual([
        ['a', '1k', '3:4', { format: 'avif', fit: 'cover', width: 800 }],
        ['b', '1k', '3:4', { format: 'avif', fit: 'cover', widths: [50, 100] }],
      ]);
    } finally {
      await p.cleanup();
    }
  });

  it('rejects two images that would write the same output file', async () => {
    const p = await tempProject({
      'pixlock.yaml': `version: 1\nprovider: { name: placeholder }\nimages:\n  hero:\n    prompt: x\n    output: { widths: [640] }\n  hero-640:\n    prompt: y\n`,
    });
    try {
      const error = (await loadManifest(p.config).catch((e: unknown) => e)) as {
        diagnostics: Diagnostic[];
      };
      expect(error.diagnostics).toEqual([
        expect.objectContaining({
          line: 7,
          column: 3,
          message:
            'images "hero" and "hero-640" would both write generated/hero-640.webp: rename one, or change its widths or format',
        }),
      ]);
    } finally {
      await p.cleanup();
    }
  });

  it('says how to start when there is no manifest', async () => {
    const error = await loadManifest('/nonexistent/pixlock.yaml').catch((e: unknown) => e);
    expect(isPixlockError(error, 'MANIFEST_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toMatch(/pixlock init/);
  });
});
