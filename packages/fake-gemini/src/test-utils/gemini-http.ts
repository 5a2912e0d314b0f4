import { toAnswer as answerOf } from '@pixlock/fake-http-kit/test-utils';
import type { JsonAnswer } from '@pixlock/fake-http-kit/test-utils';
import type { FakeGemini } from '../fake-gemini-server.js';

export type { JsonAnswer } from '@pixlock/fake-http-kit/test-utils';

/** Reads an answer; a body that is not JSON (a gateway's page) comes back as `{text}`. */
const toAnswer = (res: Response) => answerOf(res, true);

/** The generateContent body for a prompt, with image output and optional image config. */
export function imageRequest(
  prompt: string,
  imageConfig: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    contents: [{ role: 'user', parts: [{ text: prompt }] }],
    generationConfig: { responseModalities: ['IMAGE'], imageConfig, ...extra },
  };
}

/**
 * A minimal Gemini client for the fake's own tests: raw HTTP, nothing tolerant, the key in
 * `x-goog-api-key` (`key: null` sends none).
 */
export function geminiHttp(gemini: FakeGemini, key: string | null = 'test-key') {
  const root = `${gemini.baseUrl}/v1beta`;
  const auth = (): Record<string, string> => (key ? { 'x-goog-api-key': key } : {});
  const post = async (path: string, body: unknown) =>
    toAnswer(
      await fetch(`${root}/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth() },
        body: JSON.stringify(body),
      }),
    );
  const get = async (path: string) => toAnswer(await fetch(`${root}/${path}`, { headers: auth() }));
  const del = async (path: string) =>
    toAnswer(await fetch(`${root}/${path}`, { method: 'DELETE', headers: auth() }));
  const generate = (body: unknown, model = 'gemini-3.1-flash-image') =>
    post(`models/${model}:generateContent`, body);
  const createBatch = (batch: unknown, model = 'gemini-3.1-flash-image') =>
    post(`models/${model}:batchGenerateContent`, { batch });
  /** Polls a batch every few ms until its state is terminal; returns the last answer. */
  const settle = async (name: string) => {
    for (;;) {
      const answer = await get(name);
      const state = (answer.body.metadata as { state?: string } | undefined)?.state ?? '';
      if (answer.status !== 200 || !/PENDING|RUNNING/.test(state)) return answer;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  /** The resumable upload, as the SDK does it: start, then chunks with offsets, then finalize. */
  const upload = async (bytes: Buffer, mimeType: string, chunkSize = bytes.length || 1) => {
    const start = await fetch(`${gemini.baseUrl}/upload/v1beta/files`, {
      method: 'POST',
      headers: {
        ...auth(),
        'content-type': 'application/json',
        'x-goog-upload-protocol': 'resumable',
        'x-goog-upload-command': 'start',
        'x-goog-upload-header-content-length': String(bytes.length),
        'x-goog-upload-header-content-type': mimeType,
      },
      body: JSON.stringify({ file: { displayName: 'input.jsonl' } }),
    });
    const url = start.headers.get('x-goog-upload-url');
    if (!url) return { start: await toAnswer(start), final: undefined };
    let answer: JsonAnswer | undefined;
    for (let offset = 0; offset < bytes.length || answer === undefined; offset += chunkSize) {
      const last = offset + chunkSize >= bytes.length;
      answer = await toAnswer(
        await fetch(url, {
          method: 'POST',
          headers: {
            ...auth(),
            'x-goog-upload-command': last ? 'upload, finalize' : 'upload',
            'x-goog-upload-offset': String(offset),
          },
          body: bytes.subarray(offset, offset + chunkSize),
        }),
      );
      if (last || answer.status !== 200) break;
    }
    return { start: await toAnswer(start), final: answer };
  };
  return { post, get, del, generate, createBatch, settle, upload };
}

/** The image parts of a generateContent answer, decoded. */
export function imagesOf(
  body: Record<string, unknown>,
): { mimeType: string; bytes: Buffer; thought: boolean }[] {
  const candidates = (body.candidates ?? []) as {
    content?: { parts?: Record<string, unknown>[] };
  }[];
  return (candidates[0]?.content?.parts ?? [])
    .filter((p) => p.inlineData)
    .map((p) => {
      const data = p.inlineData as { mimeType: string; data: string };
      return {
        mimeType: data.mimeType,
        bytes: Buffer.from(data.data, 'base64'),
        thought: p.thought === true,
      };
    });
}
