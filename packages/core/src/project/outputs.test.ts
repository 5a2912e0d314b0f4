import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLock } from '../lock/parse-lock.js';
import { countingProvider, tempProject, type TempProject } from '../test-utils/temp-project.js';
import { check } from './check.js';
import { generate } from './generate.js';

let project: TempProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

// 16:9 at 1k: the original is 1024×576.
const MANIFEST = `version: 1
provider: { name: placeholder }
defaults: { resolution: 1k, aspectRatio: '16:9' }
images:
  hero:
    prompt: a lighthouse
    seed: 3
    alt: A lighthouse at dawn
    output:
      formats: [avif, webp]
      widths: [320, 640, 2000]
      sizes: '(min-width: 800px) 50vw, 100vw'
      avif: { quality: 40, effort: 1 }
      webp: { quality: 70 }
`;

async function generated(manifest = MANIFEST) {
  project = await tempProject({ 'pixlock.yaml': manifest });
  const result = await generate({ config: project.config, provider: countingProvider().provider });
  const lock = parseLock(await project.read('pixlock.lock'), 'pixlock.lock');
  return { p: project, result, lock };
}

describe('outputs in several formats', () => {
  it('writes each format at each width, clamped to the original, and locks every file', async () => {
    const { p, result, lock } = await generated();
    // The plan says what it clamped before anything is made.
    const entry = result.plan.entries.find((e) => e.id === 'hero')!;
    expect(entry.reason).toContain("widths 2000 clamped to the original's 1024×576");
    const files = lock.images.hero!.output.files;
    expect(files.map((f) => [f.path, f.width, f.height])).toEqual([
      ['generated/hero-320.avif', 320, 180],
      ['generated/hero-640.avif', 640, 360],
      ['generated/hero-1024.avif', 1024, 576],
      ['generated/hero-320.webp', 320, 180],
      ['generated/hero-640.webp', 640, 360],
      ['generated/hero-1024.webp', 1024, 576],
    ]);
    for (const f of files) {
      const bytes = await p.readBytes(f.path);
      const meta = await sharp(bytes).metadata();
      expect([meta.format === 'heif' ? 'avif' : meta.format, meta.width, bytes.length]).toEqual([
        path.extname(f.path).slice(1),
        f.width,
        f.bytes,
      ]);
    }
    // No full-size file with formats unless asked for.
    await expect(p.readBytes('generated/hero.avif')).rejects.toThrow();
    expect((await check(p.config)).ok).toBe(true);
  });

  it('check catches an edit to any format', async () => {
    const { p } = await generated();
    await writeFile(path.join(p.dir, 'generated/hero-640.webp'), 'edited');
    const result = await check(p.config);
    expect(result.ok).toBe(false);
    expect(result.problems[0]!.reason).toContain('generated/hero-640.webp modified');
  });

  it('full: true adds the full-size file per format; allowUpscale makes the larger width', async () => {
    const { lock } = await generated(
      MANIFEST.replace(
        'widths: [320, 640, 2000]',
        'widths: [320, 2000]\n      full: true\n      allowUpscale: true',
      ),
    );
    expect(lock.images.hero!.output.files.map((f) => [f.path, f.width])).toEqual([
      ['generated/hero.avif', 1024],
      ['generated/hero-320.avif', 320],
      ['generated/hero-2000.avif', 2000],
      ['generated/hero.webp', 1024],
      ['generated/hero-320.webp', 320],
      ['generated/hero-2000.webp', 2000],
    ]);
  });

  it('changing an encoder option reprocesses for free; sizes and alt change no file', async () => {
    const { p, lock } = await generated();
    const before = lock.images.hero!.output.files.map((f) => f.sha256);
    await p.write('pixlock.yaml', MANIFEST.replace('50vw', '33vw').replace('at dawn', 'at dusk'));
    expect((await check(p.config)).ok).toBe(true);
    await p.write('pixlock.yaml', MANIFEST.replace('effort: 1', 'effort: 0'));
    const provider = countingProvider();
    const again = await generate({ config: p.config, provider: provider.provider });
    expect(again.run?.counts.reprocessed).toBe(1);
    expect(provider.calls.create).toBe(0);
    const after = parseLock(await p.read('pixlock.lock'), 'pixlock.lock').images.hero!;
    const hashes = after.output.files.map((f) => f.sha256);
    expect(hashes.slice(0, 3)).not.toEqual(before.slice(0, 3)); // the AVIFs changed
    expect(hashes.slice(3)).toEqual(before.slice(3)); // the WebPs are the same bytes
  });

  it('clamps a cover box to the original, keeping its shape, and enlarges only when allowed', async () => {
    const og = `version: 1
provider: { name: placeholder }
images:
  og:
    prompt: an og image
    seed: 1
    resolution: 1k
    aspectRatio: '16:9'
    output: { format: jpeg, width: 1200, height: 630, fit: cover, position: attention }
`;
    const { p, result, lock } = await generated(og);
    expect(result.plan.entries[0]!.reason).toContain(
      "size 1200×630 clamped to the original's 1024×576",
    );
    expect(lock.images.og!.output.files.map((f) => [f.path, f.width, f.height])).toEqual([
      ['generated/og.jpg', 1024, 538],
    ]);
    await p.write('pixlock.yaml', og.replace('fit: cover', 'fit: cover, allowUpscale: true'));
    const again = await generate({ config: p.config, provider: countingProvider().provider });
    expect(again.run?.counts.reprocessed).toBe(1);
    const after = parseLock(await p.read('pixlock.lock'), 'pixlock.lock').images.og!;
    expect(after.output.files.map((f) => [f.width, f.height])).toEqual([[1200, 630]]);
  });
});
