import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError, GoogleGenAI, JobState } from '@google/genai';
import sharp from 'sharp';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startedFakes } from './test-utils/started-fakes.js';

// The fake is only worth its name if Google's own client can talk to it: these tests drive
// it with @google/genai (a dev dependency of this package only), over real HTTP.
const start = startedFakes({ generateLatencyMs: 0, batchQueueMs: 5, batchRunMs: 5 });
const client = (baseUrl: string, apiKey = 'test-key') =>
  new GoogleGenAI({ apiKey, httpOptions: { baseUrl } });
const imageConfig = {
  responseModalities: ['IMAGE'],
  imageConfig: { aspectRatio: '4:3', imageSize: '512' },
};

async function settle(ai: GoogleGenAI, name: string) {
  for (;;) {
    const job = await ai.batches.get({ name });
    if (job.state !== JobState.JOB_STATE_PENDING && job.state !== JobState.JOB_STATE_RUNNING)
      return job;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('@google/genai against the fake', () => {
  it('models.generateContent: an image part the SDK decodes', async () => {
    const gemini = await start();
    const ai = client(gemini.baseUrl);
    const response = await ai.models.generateContent({
      model: 'gemini-3.1-flash-image',
      contents: 'a lighthouse',
      config: { ...imageConfig, seed: 5 },
    });
    const part = response.candidates?.[0]?.content?.parts?.find((p) => p.inlineData);
    const meta = await sharp(Buffer.from(part?.inlineData?.data ?? '', 'base64')).metadata();
    expect(meta).toMatchObject({ width: 600, height: 448 });
    expect(response.usageMetadata?.candidatesTokenCount).toBe(747);
    expect(gemini.generations()[0]).toMatchObject({
      prompt: 'a lighthouse',
      seed: 5,
      aspectRatio: '4:3',
    });
  });

  it('errors reach the SDK as ApiError with Google’s status', async () => {
    const gemini = await start();
    const call = client(gemini.baseUrl, 'wrong').models.generateContent({
      model: 'gemini-3.1-flash-image',
      contents: 'p',
    });
    await expect(call).rejects.toBeInstanceOf(ApiError);
    await expect(call).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('API_KEY_INVALID'),
    });
  });

  it('batches.create inline → get until SUCCEEDED → dest.inlinedResponses; list shows displayName', async () => {
    const gemini = await start();
    const ai = client(gemini.baseUrl);
    const job = await ai.batches.create({
      model: 'gemini-3.1-flash-image',
      src: [
        { contents: [{ role: 'user', parts: [{ text: 'one' }] }], config: imageConfig },
        { contents: [{ role: 'user', parts: [{ text: 'two' }] }], config: imageConfig },
      ],
      config: { displayName: 'sdk inline' },
    });
    expect(job.state).toBe(JobState.JOB_STATE_PENDING);
    const done = await settle(ai, job.name as string);
    expect(done.state).toBe(JobState.JOB_STATE_SUCCEEDED);
    expect(
      done.dest?.inlinedResponses?.map((r) => r.response?.candidates?.[0]?.finishReason),
    ).toEqual(['STOP', 'STOP']);
    const listed = [];
    for await (const b of await ai.batches.list()) listed.push(b.displayName);
    expect(listed).toEqual(['sdk inline']);
    expect(gemini.stats.batchRequestsCharged).toBe(2);
  });

  it('files.upload (resumable, in the SDK’s chunks) → batch from the file → files.download', async () => {
    const gemini = await start();
    const ai = client(gemini.baseUrl);
    const lines = ['sun', 'moon']
      .map((p, i) =>
        JSON.stringify({
          key: `k${i}`,
          request: { contents: [{ parts: [{ text: p }] }], generationConfig: imageConfig },
        }),
      )
      .join('\n');
    const file = await ai.files.upload({
      file: new Blob([lines], { type: 'application/jsonl' }),
      config: { mimeType: 'application/jsonl', displayName: 'requests' },
    });
    expect(file).toMatchObject({
      name: expect.stringMatching(/^files\//),
      sizeBytes: String(Buffer.byteLength(lines)),
    });
    const job = await ai.batches.create({
      model: 'gemini-3.1-flash-image',
      src: file.name as string,
      config: { displayName: 'sdk file' },
    });
    const done = await settle(ai, job.name as string);
    const dir = await mkdtemp(join(tmpdir(), 'fake-gemini-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const downloadPath = join(dir, 'out.jsonl');
    await ai.files.download({ file: done.dest?.fileName as string, downloadPath });
    const out = (await readFile(downloadPath, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { key: string });
    expect(out.map((l) => l.key)).toEqual(['k0', 'k1']);
  });
});
