import { isRecord } from '../../util/is-record.js';
import type { FinalStatus } from '../image-provider.js';
import { blobOf, type ReadAnswer } from './read-answer.js';

/**
 * How one GenerateContentResponse ended for its image: the image part (the first
 * `inlineData` of an `image/*` type that is not a `thought`, which Gemini 3 models send as
 * interim drafts), or why there is none: the prompt blocked (`promptFeedback.blockReason`),
 * the image withheld (a `finishReason` other than STOP: IMAGE_SAFETY, PROHIBITED_CONTENT, …),
 * or a text answer only. Those fail the image with the reason and are not retried. The bytes
 * are the engine's to verify as an image; `price` is what the image is counted at (the API
 * reports tokens, not money).
 */
export function statusOfAnswer(answer: ReadAnswer, price: number): FinalStatus {
  const body = answer.body;
  const feedback = isRecord(body.promptFeedback) ? body.promptFeedback : {};
  if (typeof feedback.blockReason === 'string') {
    return {
      state: 'failed',
      code: feedback.blockReason,
      message: `Gemini blocked the prompt (${feedback.blockReason}); no image was made`,
    };
  }
  const candidates = Array.isArray(body.candidates) ? body.candidates.filter(isRecord) : [];
  const first = candidates[0];
  if (!first) return { state: 'failed', message: 'Gemini answered no candidate and no reason' };
  const content = isRecord(first.content) ? first.content : {};
  const parts = Array.isArray(content.parts) ? content.parts.filter(isRecord) : [];
  for (const part of parts) {
    if (part.thought === true) continue;
    const inline = isRecord(part.inlineData) ? part.inlineData : undefined;
    const mimeType = typeof inline?.mimeType === 'string' ? inline.mimeType.toLowerCase() : '';
    if (!inline || !mimeType.startsWith('image/')) continue;
    const bytes = blobOf(answer, inline.data);
    if (!bytes || bytes.length === 0) continue;
    return { state: 'success', output: { bytes, mediaType: mimeType }, creditsUsed: price };
  }
  const finish = typeof first.finishReason === 'string' ? first.finishReason : undefined;
  const said = typeof first.finishMessage === 'string' ? `: ${first.finishMessage}` : '';
  if (finish !== undefined && finish !== 'STOP') {
    return {
      state: 'failed',
      code: finish,
      message: `Gemini made no image (finishReason ${finish}${said})`,
    };
  }
  const text = parts
    .filter((p) => p.thought !== true && typeof p.text === 'string')
    .map((p) => p.text as string)
    .join(' ')
    .trim();
  return {
    state: 'failed',
    code: 'NO_IMAGE',
    message: `Gemini answered without an image${text ? `: "${text.slice(0, 200)}"` : ''}`,
  };
}

/** The answer's `responseId`, when it is one the lock can hold as a task id. */
export function responseIdOf(answer: ReadAnswer): string | undefined {
  const id = answer.body.responseId;
  return typeof id === 'string' && /^[\x21-\x7e]{1,100}$/.test(id) ? id : undefined;
}
