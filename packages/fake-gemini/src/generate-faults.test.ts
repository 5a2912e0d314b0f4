import sharp from 'sharp';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { geminiHttp, imageRequest, imagesOf } from './test-utils/gemini-http.js';
import { startedFakes } from './test-utils/started-fakes.js';

const start = startedFakes({ generateLatencyMs: 0 });
const small = (prompt: string) => imageRequest(prompt, { imageSize: '512' });

describe('generateContent faults before processing: nothing charged', () => {
  it('500, 503 and 429 (with RetryInfo) in Google’s envelope; resets', async () => {
    const gemini = await start({ retryDelaySeconds: 7 });
    const http = geminiHttp(gemini);
    gemini.injectOnce({ route: 'generateContent', status: 500 });
    gemini.injectOnce({ route: 'generateContent', status: 503 });
    gemini.injectOnce({ route: 'generateContent', status: 429 });
    gemini.injectOnce({ route: 'generateContent', kind: 'drop' });
    expect(await http.generate(small('p'))).toMatchObject({
      status: 500,
      body: { error: { status: 'INTERNAL' } },
    });
    expect(await http.generate(small('p'))).toMatchObject({
      status: 503,
      body: { error: { status: 'UNAVAILABLE' } },
    });
    const limited = await http.generate(small('p'));
    expect(limited).toMatchObject({
      status: 429,
      body: { error: { status: 'RESOURCE_EXHAUSTED' } },
    });
    expect((limited.body.error as { details: unknown[] }).details).toContainEqual({
      '@type': 'type.googleapis.com/google.rpc.RetryInfo',
      retryDelay: '7s',
    });
    await expect(http.generate(small('p'))).rejects.toThrow();
    expect(gemini.stats).toMatchObject({
      generateCalls: 4,
      generates5xx: 2,
      generates429: 1,
      generatesDropped: 1,
      generatesProcessed: 0,
    });
    expect({ ...gemini.stats.paidByPrompt }).toEqual({});
  });

  it('random rates are seeded: the same seed meets the same faults, another seed others', async () => {
    const run = async (seed: number) => {
      const gemini = await start({
        seed,
        rate429: 0.25,
        rate500: 0.25,
        rate503: 0.2,
        retryDelaySeconds: null,
      });
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++)
        statuses.push((await geminiHttp(gemini).generate(small(`p${i}`))).status);
      return statuses;
    };
    const first = await run(3);
    expect(new Set(first)).toEqual(new Set([200, 429, 500, 503]));
    expect(await run(3)).toEqual(first);
    expect(await run(4)).not.toEqual(first);
  });

  it('the concurrency limit answers 429 while calls are in progress (fake clock: no race)', async () => {
    const gemini = await start({ concurrencyLimit: 2, generateLatencyMs: 1000 });
    const http = geminiHttp(gemini);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    onTestFinished(() => void vi.useRealTimers());
    const slow = [http.generate(small('a')), http.generate(small('b'))];
    // setImmediate is not faked: spin until both calls hold their (faked) latency.
    while (gemini.stats.inFlight < 2) await new Promise((r) => setImmediate(r));
    expect((await http.generate(small('c'))).status).toBe(429);
    await vi.advanceTimersByTimeAsync(1000);
    expect((await Promise.all(slow)).map((a) => a.status)).toEqual([200, 200]);
    expect(gemini.stats).toMatchObject({ generates429: 1, maxInFlight: 2, inFlight: 0 });
    expect(gemini.stats.paidByPrompt.c).toBeUndefined();
  });
});

describe('generateContent faults after processing: charged, answer lost', () => {
  it('a reset after processing: the client sees an error, the image was paid', async () => {
    const gemini = await start();
    gemini.injectOnce({ route: 'generateContent', kind: 'drop', afterProcessing: true });
    await expect(geminiHttp(gemini).generate(small('lost'))).rejects.toThrow();
    expect(gemini.stats).toMatchObject({ generatesProcessed: 1, generatesDropped: 1 });
    expect(gemini.stats.paidByPrompt.lost).toBe(1);
  });

  it('resetAfterRate and truncateAfterRate: both charged, neither answered whole', async () => {
    for (const option of ['resetAfterRate', 'truncateAfterRate'] as const) {
      const gemini = await start({ [option]: 1 });
      const whole = fetch(
        `${gemini.baseUrl}/v1beta/models/gemini-3.1-flash-image:generateContent`,
        {
          method: 'POST',
          headers: { 'x-goog-api-key': 'test-key' },
          body: JSON.stringify(small('cut')),
        },
      ).then((r) => r.text());
      await expect(whole).rejects.toThrow();
      expect(gemini.stats).toMatchObject({ generatesProcessed: 1, generatesDropped: 1 });
      expect(gemini.stats.paidByPrompt.cut).toBe(1);
    }
  });

  it('delayMs alone: taken and charged at once, its real answer late (fake timers, no margins)', async () => {
    const gemini = await start();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    onTestFinished(() => void vi.useRealTimers());
    gemini.injectOnce({ route: 'generateContent', delayMs: 5000 });
    let settled = false;
    const late = geminiHttp(gemini)
      .generate(small('late'))
      .finally(() => (settled = true));
    // Charged at once; the held answer's timer is the only one. setImmediate is not faked
    // (vi.waitFor would move the fake clock while it waits).
    while (gemini.stats.generatesProcessed < 1 || vi.getTimerCount() === 0) {
      await new Promise((r) => setImmediate(r));
    }
    await vi.advanceTimersByTimeAsync(4999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await late).status).toBe(200);
  });

  it('a trickled answer arrives whole, slowly', async () => {
    const gemini = await start({ jsonTrickleBytesPerSecond: 100_000 });
    const answer = await geminiHttp(gemini).generate(small('slow'));
    expect(imagesOf(answer.body)).toHaveLength(1);
  });
});

describe('answers that lie or hold no image', () => {
  it.each([
    ['not-an-image', (bytes: Buffer) => expect(sharp(bytes).metadata()).rejects.toThrow()],
    ['truncated-image', (bytes: Buffer) => expect(sharp(bytes).raw().toBuffer()).rejects.toThrow()],
    [
      'wrong-mime-type',
      async (bytes: Buffer) => expect((await sharp(bytes).metadata()).format).toBe('png'),
    ],
  ] as const)('%s: still charged as an image', async (lie, check) => {
    const gemini = await start();
    gemini.injectOnce({ route: 'generateContent', lie });
    const [image] = imagesOf((await geminiHttp(gemini).generate(small('liar'))).body);
    if (lie === 'wrong-mime-type') expect(image?.mimeType).toBe('image/jpeg');
    await check(image?.bytes as Buffer);
    expect(gemini.stats).toMatchObject({ lies: 1 });
    expect(gemini.stats.paidByPrompt.liar).toBe(1);
  });

  it('a blocked prompt: promptFeedback.blockReason, no candidates, not billed', async () => {
    const gemini = await start();
    const answer = await geminiHttp(gemini).generate(small('draw fake:block please'));
    expect(answer.status).toBe(200);
    expect(answer.body.promptFeedback).toMatchObject({ blockReason: 'SAFETY' });
    expect(answer.body.candidates).toBeUndefined();
    expect(gemini.stats).toMatchObject({ generatesProcessed: 1, safetyBlocks: 1, usdCharged: 0 });
  });

  it('an unsafe image: finishReason IMAGE_SAFETY without content; text only: STOP without image', async () => {
    const gemini = await start({ noImageRate: 1 });
    const http = geminiHttp(gemini);
    const unsafe = await http.generate(small('fake:unsafe'));
    expect(unsafe.body.candidates).toEqual([
      expect.objectContaining({ finishReason: 'IMAGE_SAFETY' }),
    ]);
    expect((unsafe.body.candidates as Record<string, unknown>[])[0]).not.toHaveProperty('content');
    const textOnly = await http.generate(small('p'));
    expect(textOnly.body).toMatchObject({ candidates: [{ finishReason: 'STOP' }] });
    expect(imagesOf(textOnly.body)).toEqual([]);
    expect(gemini.stats).toMatchObject({ safetyBlocks: 2, usdCharged: 0 });
  });
});
