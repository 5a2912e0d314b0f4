import { describe, expect, it } from 'vitest';
import { tempProject } from '../test-utils/temp-project.js';
import { loadManifest } from './load-manifest.js';
import { parseManifestText } from './parse-manifest-text.js';
import { manifestSchema } from './schema.js';

const HEAD = 'version: 1\nprovider:\n  name: placeholder\nimages:\n  hero:\n    prompt: x\n';

function problems(output: string): string[] {
  const r = parseManifestText(`${HEAD}    output: ${output}\n`, '/p/pixlock.yaml', manifestSchema);
  return r.ok ? [] : r.diagnostics.map((d) => `${d.line}: ${d.message} (${d.path.join('.')})`);
}

describe('output options', () => {
  it('accepts formats, encoder settings, position, background, sizes and alt', () => {
    expect(
      problems(
        "{ formats: [avif, webp], widths: [640], full: true, allowUpscale: false, position: attention, background: '#ffffff80', sizes: 100vw, avif: { quality: 50, effort: 3, lossless: false }, webp: { effort: 6 }, jpeg: { progressive: false }, png: { quality: 90 } }",
      ),
    ).toEqual([]);
  });

  it('rejects format with formats, a format twice, bad effort, position and colour, at their line', () => {
    expect(problems('{ format: webp, formats: [avif] }')).toEqual([
      '7: "format" and "formats" cannot be used together: list every format in formats (images.hero.output.formats)',
    ]);
    expect(problems('{ formats: [avif, avif] }')).toEqual([
      '7: a format is listed twice (images.hero.output.formats)',
    ]);
    expect(problems('{ formats: [gif] }')[0]).toContain('"gif" is not allowed here');
    expect(problems('{ avif: { effort: 10 } }')[0]).toContain('images.hero.output.avif.effort');
    expect(problems('{ webp: { progressive: true } }')[0]).toContain('progressive');
    expect(problems('{ position: middle }')[0]).toContain('attention');
    expect(problems("{ background: 'red; x' }")[0]).toContain('expected a hex colour');
  });

  it("merges: an image's format or formats replaces the defaults' both; encoder settings merge", async () => {
    const p = await tempProject({
      'pixlock.yaml': `version: 1
provider: { name: placeholder }
defaults:
  output: { formats: [avif, webp], quality: 60, avif: { effort: 3 }, sizes: 50vw }
images:
  a: { prompt: x, alt: An A }
  b: { prompt: y, output: { format: png, avif: { quality: 40 } } }
`,
    });
    try {
      const m = await loadManifest(p.config);
      const [a, b] = m.images;
      expect(a).toMatchObject({ alt: 'An A' });
      expect(a!.output).toEqual({
        format: 'avif',
        formats: ['avif', 'webp'],
        fit: 'cover',
        quality: 60,
        sizes: '50vw',
        avif: { effort: 3 },
      });
      expect(b!.output).toEqual({
        format: 'png',
        fit: 'cover',
        quality: 60,
        sizes: '50vw',
        avif: { effort: 3, quality: 40 },
      });
    } finally {
      await p.cleanup();
    }
  });
});
