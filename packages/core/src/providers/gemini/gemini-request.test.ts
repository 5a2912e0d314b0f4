import { describe, expect, it } from 'vitest';
import { isPixlockError } from '../../errors.js';
import { generationHash, generationInputs } from '../../plan/hashes.js';
import type { GenerationRequest } from '../image-provider.js';
import { generateContentRequest, promptText, referencesOf, seedOf } from './gemini-request.js';

const request = (over: Partial<GenerationRequest> = {}): GenerationRequest => ({
  id: 'hero',
  model: 'gemini-3-pro-image',
  prompt: 'a lighthouse at dawn',
  seed: 7,
  aspectRatio: '16:9',
  resolution: '4k',
  references: [],
  ...over,
});
const png = (n: number) => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, n]);

describe('the request pixlock sends for an image', () => {
  it('maps prompt, negative prompt, aspect ratio, size and seed, image output only', () => {
    expect(generateContentRequest(request({ negativePrompt: ' text, logos ' }), [])).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'a lighthouse at dawn\n\nAvoid: text, logos' }] }],
      generationConfig: {
        responseModalities: ['IMAGE'],
        imageConfig: { aspectRatio: '16:9', imageSize: '4K' },
        seed: 7,
      },
    });
    expect(promptText({ prompt: 'p', negativePrompt: '   ' })).toBe('p');
  });

  it('sends seeds as int32 with the same bits: every pixlock seed a distinct one', () => {
    expect([0, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1].map(seedOf)).toEqual([
      0,
      2 ** 31 - 1,
      -(2 ** 31),
      -1,
    ]);
  });

  it('changes the generation hash when the negative prompt changes, since it is part of the text sent', () => {
    const image = {
      id: 'hero',
      prompt: 'p',
      aspectRatio: '1:1' as const,
      resolution: '1k' as const,
      references: [],
      imageReferences: [],
      output: { format: 'png' as const, fit: 'cover' as const },
      sourceFile: '/p/pixlock.yaml',
    };
    const hash = (negativePrompt?: string) =>
      generationHash(
        generationInputs(
          { ...image, ...(negativePrompt && { negativePrompt }) },
          { name: 'gemini', model: 'm' },
          1,
          () => undefined,
        ),
      );
    expect(new Set([hash(), hash('text'), hash('logos')]).size).toBe(3);
  });

  it('puts references after the text as inline data: images drawn from, then URLs, then files', async () => {
    const r = request({
      references: ['https://example.test/a.png'],
      inlineReferences: [
        { file: '/p/style.png', sha256: 'f', mediaType: 'image/png', bytes: png(3) },
        { image: 'mia', sha256: 'i', mediaType: 'image/jpeg', bytes: png(1) },
      ],
    });
    const refs = await referencesOf(r, (url) =>
      Promise.resolve({ from: url, mediaType: 'image/webp', bytes: png(2) }),
    );
    const parts = (generateContentRequest(r, refs) as { contents: { parts: unknown[] }[] })
      .contents[0]!.parts;
    expect(parts.slice(1)).toEqual([
      { inlineData: { mimeType: 'image/jpeg', data: png(1).toString('base64') } },
      { inlineData: { mimeType: 'image/webp', data: png(2).toString('base64') } },
      { inlineData: { mimeType: 'image/png', data: png(3).toString('base64') } },
    ]);
  });

  it('refuses a reference in a format the API does not take, before anything is sent', () => {
    let error: unknown;
    try {
      generateContentRequest(request(), [
        { from: '/p/a.gif', mediaType: 'image/gif', bytes: png(0) },
      ]);
    } catch (e) {
      error = e;
    }
    expect(isPixlockError(error, 'PROVIDER_BAD_REQUEST')).toBe(true);
    expect((error as Error).message).toBe(
      'hero: reference /p/a.gif is image/gif; the Gemini API takes PNG, JPEG, WebP, HEIC or HEIF',
    );
  });
});
