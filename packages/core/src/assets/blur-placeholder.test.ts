import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { sha256 } from '../util/sha256.js';
import { tempProject, type TempProject } from '../test-utils/temp-project.js';
import { placeholderCache } from '../project/cache/placeholder-cache.js';
import { blurPlaceholder, renderBlurPlaceholder } from './blur-placeholder.js';

let project: TempProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

/** A 400×200 image: red on the left half, blue on the right. */
async function twoColourImage(file: string): Promise<Buffer> {
  const half = { width: 200, height: 200, channels: 3 as const };
  const red = await sharp({ create: { ...half, background: '#ff0000' } })
    .png()
    .toBuffer();
  const blue = await sharp({ create: { ...half, background: '#0000ff' } })
    .png()
    .toBuffer();
  const data = await sharp({ create: { width: 400, height: 200, channels: 3, background: '#000' } })
    .composite([
      { input: red, left: 0, top: 0 },
      { input: blue, left: 200, top: 0 },
    ])
    .png()
    .toBuffer();
  await sharp(data).toFile(file);
  return data;
}

function decode(dataUri: string): Buffer {
  const [head, body] = dataUri.split(',');
  expect(head).toBe('data:image/webp;base64');
  return Buffer.from(body!, 'base64');
}

describe('blurPlaceholder', () => {
  it('renders a tiny WebP that keeps the aspect ratio and the colours', async () => {
    project = await tempProject({});
    const file = path.join(project.dir, 'image.png');
    await twoColourImage(file);
    const { dataUri, thumbhash } = await renderBlurPlaceholder(file);
    expect(dataUri.length).toBeLessThan(600);
    expect(Buffer.from(thumbhash, 'base64').length).toBeLessThanOrEqual(25);
    const webp = decode(dataUri);
    const meta = await sharp(webp).metadata();
    expect(meta.format).toBe('webp');
    expect(meta.width! / meta.height!).toBeCloseTo(2, 0);
    expect(meta.width).toBeLessThanOrEqual(32);
    const { data, info } = await sharp(webp)
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const pixel = (x: number) => [...data.subarray(x * 3, x * 3 + 3)] as [number, number, number];
    const [lr, , lb] = pixel(1);
    const [rr, , rb] = pixel(info.width - 2);
    expect(lr).toBeGreaterThan(lb); // red on the left
    expect(rb).toBeGreaterThan(rr); // blue on the right
  });

  it('caches by content hash in the cache folder, whatever the path', async () => {
    project = await tempProject({});
    const file = path.join(project.dir, 'a.png');
    const bytes = await twoColourImage(file);
    const cacheDir = path.join(project.dir, '.pixlock', 'cache');
    const first = await blurPlaceholder(file, { cache: placeholderCache(cacheDir) });
    const hash = sha256(bytes);
    expect(await readdir(path.join(cacheDir, 'placeholders'))).toEqual([`v1-${hash}.json`]);

    // With the file gone, the cached result for its hash is still served: nothing is read.
    await rm(file);
    expect(
      await blurPlaceholder(file, { cache: placeholderCache(cacheDir), sha256: hash }),
    ).toEqual(first);
    // An unknown hash with no file fails, so the cache really was what answered above.
    await expect(
      blurPlaceholder(file, { cache: placeholderCache(cacheDir), sha256: 'f'.repeat(64) }),
    ).rejects.toThrow();
  });
});
