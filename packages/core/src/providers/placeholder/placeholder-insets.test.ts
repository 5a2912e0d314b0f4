import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../util/sha256.js';
import type { GenerationRequest, UrlOutput } from '../image-provider.js';
import { placeholderProvider } from './placeholder-provider.js';

/** A reference original: left half one colour, right half another. */
async function twoTone(left: string, right: string): Promise<Buffer> {
  const half = { width: 32, height: 64, channels: 3 as const };
  return sharp({ create: { width: 64, height: 64, channels: 3, background: '#000' } })
    .composite([
      {
        input: await sharp({ create: { ...half, background: left } })
          .png()
          .toBuffer(),
        left: 0,
        top: 0,
      },
      {
        input: await sharp({ create: { ...half, background: right } })
          .png()
          .toBuffer(),
        left: 32,
        top: 0,
      },
    ])
    .png()
    .toBuffer();
}

const request = (refs: Buffer[]): GenerationRequest => ({
  id: 'scenes/park',
  model: 'm',
  prompt: 'mia in the park',
  seed: 7,
  aspectRatio: '1:1',
  resolution: '1k',
  references: [],
  inlineReferences: refs.map((bytes, i) => ({
    image: `ref-${i}`,
    sha256: sha256(bytes),
    mediaType: 'image/png',
    bytes,
  })),
});

/** Draws through the provider as the engine does, and returns the decoded pixels. */
async function draw(refs: Buffer[]) {
  const provider = placeholderProvider();
  const r = request(refs);
  const signal = new AbortController().signal;
  const { taskId } = await provider.createTask(r, { signal });
  const status = await provider.pollTask(taskId, r, { signal });
  if (status.state !== 'success') throw new Error('placeholder failed');
  let written: Buffer;
  const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-insets-'));
  try {
    await provider.download(status.output as UrlOutput, path.join(dir, 'o.png'), { signal });
    written = await readFile(path.join(dir, 'o.png'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const { data, info } = await sharp(written).raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number) => [
    ...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3),
  ];
  return { png: written, taskId, at, width: info.width, height: info.height };
}

describe('placeholder insets: the references it is drawn from, visible in its pixels', () => {
  it('shows each reference as an inset along the bottom edge, right to left', async () => {
    const red = await twoTone('#ff0000', '#ff0000');
    const split = await twoTone('#00ff00', '#0000ff');
    const img = await draw([red, split]);
    expect([img.width, img.height]).toEqual([1024, 1024]);
    // Geometry of draw-insets.ts for 1024 px: margin 21, inset side 170, frame 10.
    const side = 170;
    const margin = 21;
    const y = 1024 - margin - Math.floor(side / 2);
    const first = 1024 - margin - side; // the first reference, at the right
    const second = first - side - margin;
    expect(img.at(first + side / 2, y)).toEqual([255, 0, 0]);
    // The second keeps its layout: green on its left, blue on its right.
    expect(img.at(second + 20, y)).toEqual([0, 255, 0]);
    expect(img.at(second + side - 20, y)).toEqual([0, 0, 255]);
    // A white frame around each.
    expect(img.at(first - 5, y)).toEqual([255, 255, 255]);
  });

  it('is deterministic, differs from the plain placeholder, and changes when a reference does', async () => {
    const red = await twoTone('#ff0000', '#ff0000');
    const a = await draw([red]);
    const again = await draw([red]);
    expect(again.png.equals(a.png)).toBe(true);
    const plain = await draw([]);
    const point: [number, number] = [1024 - 21 - 85, 1024 - 21 - 85];
    expect(plain.at(...point)).not.toEqual([255, 0, 0]);
    expect(plain.taskId).not.toBe(a.taskId);
    const blue = await draw([await twoTone('#0000ff', '#0000ff')]);
    expect(blue.at(...point)).toEqual([0, 0, 255]);
    expect(blue.taskId).not.toBe(a.taskId);
    // Everything away from the insets is the same picture.
    expect(blue.at(512, 100)).toEqual(a.at(512, 100));
  });
});
