import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { colorFor } from '@pixlock/fake-http-kit';
import { geminiHttp, imageRequest, imagesOf } from './test-utils/gemini-http.js';
import { startedFakes } from './test-utils/started-fakes.js';

const start = startedFakes({ generateLatencyMs: 0 });

async function pixel(bytes: Buffer, x: number, y: number) {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return { r: data[at], g: data[at + 1], b: data[at + 2] };
}

describe('generateContent: the documented shapes', () => {
  it('answers one PNG image part of the asked ratio and size, painted from the prompt', async () => {
    const gemini = await start();
    expect(gemini.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const answer = await geminiHttp(gemini).generate(
      imageRequest('a red fox', { aspectRatio: '16:9', imageSize: '1K' }),
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      candidates: [{ finishReason: 'STOP', index: 0, content: { role: 'model' } }],
      usageMetadata: {
        candidatesTokenCount: 1120,
        candidatesTokensDetails: [{ modality: 'IMAGE', tokenCount: 1120 }],
      },
      modelVersion: 'gemini-3.1-flash-image',
    });
    const [image] = imagesOf(answer.body);
    expect(image?.mimeType).toBe('image/png');
    const meta = await sharp(image?.bytes).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 1376, height: 768 });
    // Below the band, the background is the prompt's colour: a test can tell whose image it is.
    expect(await pixel(image?.bytes as Buffer, 10, 700)).toEqual(colorFor('a red fox'));
    expect(gemini.stats).toMatchObject({
      generateCalls: 1,
      generatesProcessed: 1,
      usdCharged: 0.067,
    });
    expect({ ...gemini.stats.paidByPrompt }).toEqual({ 'a red fox': 1 });
  });

  it.each([
    ['gemini-3.1-flash-image', '512', '1:1', 512, 512],
    ['gemini-3.1-flash-image', '2K', '3:4', 1792, 2400],
    ['gemini-3.1-flash-image', '1K', '1:4', 512, 2048],
    ['gemini-3-pro-image', '1K', '21:9', 1584, 672],
    ['gemini-2.5-flash-image', undefined, '4:5', 896, 1136],
  ])('%s at %s, %s → %ix%i', async (model, size, ratio, width, height) => {
    const gemini = await start();
    const config = size ? { aspectRatio: ratio, imageSize: size } : { aspectRatio: ratio };
    const answer = await geminiHttp(gemini).generate(imageRequest('p', config), model);
    expect(answer.status).toBe(200);
    const meta = await sharp(imagesOf(answer.body)[0]?.bytes).metadata();
    expect(meta).toMatchObject({ width, height });
  });

  it('a seed gives the same bytes; no seed gives new bytes per call, as the real model does', async () => {
    const gemini = await start();
    const http = geminiHttp(gemini);
    const seeded = imageRequest('p', { imageSize: '512' }, { seed: 42 });
    const a = imagesOf((await http.generate(seeded)).body)[0]?.bytes;
    const b = imagesOf((await http.generate(seeded)).body)[0]?.bytes;
    expect(a?.equals(b as Buffer)).toBe(true);
    const unseeded = imageRequest('p', { imageSize: '512' });
    const c = imagesOf((await http.generate(unseeded)).body)[0]?.bytes;
    const d = imagesOf((await http.generate(unseeded)).body)[0]?.bytes;
    expect(c?.equals(d as Buffer)).toBe(false);
    expect(gemini.stats.paidByPrompt.p).toBe(4);
  });

  it('records references by hash, accepts proto names (image_config), JPEG output, text and thought parts', async () => {
    const gemini = await start({ mediaType: 'image/jpeg', textPart: true, thoughtPart: true });
    const ref = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#123456' } })
      .png()
      .toBuffer();
    const answer = await geminiHttp(gemini).generate({
      contents: [
        {
          parts: [
            { text: 'make it blue' },
            { inline_data: { mime_type: 'image/png', data: ref.toString('base64') } },
          ],
        },
      ],
      generation_config: {
        response_modalities: ['TEXT', 'IMAGE'],
        image_config: { image_size: '512' },
      },
    });
    expect(answer.status).toBe(200);
    const parts = (answer.body.candidates as { content: { parts: Record<string, unknown>[] } }[])[0]
      ?.content.parts;
    expect(parts?.[0]).toEqual({ text: expect.any(String) });
    const images = imagesOf(answer.body);
    expect(images.map((i) => [i.mimeType, i.thought])).toEqual([
      ['image/jpeg', true],
      ['image/jpeg', false],
    ]);
    expect((await sharp(images[1]?.bytes).metadata()).format).toBe('jpeg');
    const [generation] = gemini.generations();
    expect(generation).toMatchObject({
      mode: 'interactive',
      prompt: 'make it blue',
      imageSize: '512',
    });
    expect(generation?.references).toEqual([
      { mimeType: 'image/png', size: ref.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
  });
});

describe('generateContent: validation answers 400 and charges nothing', () => {
  it.each([
    [
      'a lowercase size',
      imageRequest('p', { imageSize: '1k' }),
      'generation_config.image_config.image_size',
    ],
    ['a size the model lacks', imageRequest('p', { imageSize: '512' }), 'image_size'],
    ['a ratio the model lacks', imageRequest('p', { aspectRatio: '1:8' }), 'aspect_ratio'],
    ['an unknown field', imageRequest('p', { aspect: '1:1' }), 'Unknown name "aspect"'],
    ['no contents', { generationConfig: {} }, 'contents is not specified'],
    [
      'bad base64',
      { contents: [{ parts: [{ inlineData: { mimeType: 'image/png', data: '%%%' } }] }] },
      'Base64',
    ],
    [
      'a reference that is no image',
      {
        contents: [
          {
            parts: [
              {
                inlineData: {
                  mimeType: 'image/png',
                  data: Buffer.from('hello').toString('base64'),
                },
              },
            ],
          },
        ],
      },
      'Unable to process input image',
    ],
  ])('%s', async (_name, body, message) => {
    const gemini = await start();
    const answer = await geminiHttp(gemini).generate(body, 'gemini-3-pro-image');
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
    expect((answer.body.error as { message: string }).message).toContain(message);
    expect(gemini.stats).toMatchObject({ generates400: 1, generatesProcessed: 0, usdCharged: 0 });
  });

  it('404 NOT_FOUND for a model it does not serve; 400 beyond the request size limit', async () => {
    const gemini = await start({ maxRequestBytes: 1000 });
    const http = geminiHttp(gemini);
    const unknown = await http.generate(imageRequest('p'), 'gemini-9-image');
    expect(unknown).toMatchObject({ status: 404, body: { error: { status: 'NOT_FOUND' } } });
    const big = await http.generate(imageRequest('x'.repeat(2000)));
    expect(big.status).toBe(400);
    expect((big.body.error as { message: string }).message).toContain(
      'exceeds the limit: 1000 bytes',
    );
    expect(gemini.stats.generatesProcessed).toBe(0);
  });
});
