import { randomBytes } from 'node:crypto';
import { PixlockError } from '../../errors.js';
import { imagePrice } from '../../pricing/price-table.js';
import type { CreatedTask, GenerationRequest, ImageProvider } from '../image-provider.js';
import type { ProviderCapabilities } from '../provider-capabilities.js';
import { BatchLookup } from './batch-lookup.js';
import { parseBatchTask } from './batch-names.js';
import { BatchWatch } from './batch-watch.js';
import type { GeminiClient } from './gemini-client.js';
import { responseIdOf, statusOfAnswer } from './gemini-answer.js';
import { callGemini } from './gemini-http.js';
import { generateContentRequest, referencesOf } from './gemini-request.js';

/** One synchronous call per image; references inline; the image in the answer. */
export const GEMINI_INTERACTIVE_CAPABILITIES: ProviderCapabilities = Object.freeze({
  references: 'inline',
  results: 'bytes',
  calls: 'sync',
});

/** The API takes 100 MB of inline data per request (docs/gemini-api.md, "Size limits"). */
export const MAX_GENERATE_REQUEST_BYTES = 100 * 1024 * 1024;
/** A 4K PNG is ~30 MB of base64, and Gemini 3 may add a draft (a thought image) before it. */
export const MAX_GENERATE_ANSWER_BYTES = 128 * 1024 * 1024;

/**
 * Interactive mode: `models/{model}:generateContent`, one call per image, the image in the
 * answer. The call cannot be resumed, so one whose outcome is unknown (reset or timed out
 * after sending, a 504, an unreadable 200) is PROVIDER_CREATE_UNCONFIRMED: the engine holds
 * the image until `--force`. What surely was not charged (a connection never made, 500/503)
 * is retried with backoff, and 429 goes back to the engine with its RetryInfo delay.
 */
export function geminiInteractive(client: GeminiClient): ImageProvider {
  const { config, http, deps } = client;
  let watch: BatchWatch | undefined;
  return {
    name: 'gemini',
    capabilities: GEMINI_INTERACTIVE_CAPABILITIES,
    pollIntervalMs: config.pollIntervalMs,
    timeoutMs: config.timeoutMs,
    chargesListPrice: true,

    async createTask(request: GenerationRequest, ctx): Promise<CreatedTask> {
      const references = await referencesOf(request, (url) =>
        client.fetchUrl(url, request.id, ctx.signal),
      );
      const body = JSON.stringify(generateContentRequest(request, references));
      if (Buffer.byteLength(body) > MAX_GENERATE_REQUEST_BYTES) {
        throw new PixlockError(
          'PROVIDER_BAD_REQUEST',
          `${request.id}: the request with its references is ${Math.ceil(Buffer.byteLength(body) / 2 ** 20)} MB, over the ${MAX_GENERATE_REQUEST_BYTES / 2 ** 20} MB the API takes; use fewer or smaller references`,
        );
      }
      const answer = await callGemini(
        {
          imageId: request.id,
          what: 'generateContent',
          method: 'POST',
          url: client.url(`models/${request.model}:generateContent`),
          body,
          paid: true,
          signal: ctx.signal,
          maxAnswerBytes: MAX_GENERATE_ANSWER_BYTES,
          timeoutMs: config.timeoutMs,
        },
        http,
        deps,
      );
      const price = imagePrice(
        { name: 'gemini', model: request.model, mode: 'interactive' },
        request.resolution,
      );
      const taskId = responseIdOf(answer) ?? `gemini-${randomBytes(9).toString('base64url')}`;
      return { taskId, status: statusOfAnswer(answer, price) };
    },

    pollTask(taskId, request, ctx) {
      // A batch task recorded before the manifest switched to interactive is paid for already:
      // it is collected from its job rather than drawn again.
      if (parseBatchTask(taskId)) {
        watch ??= new BatchWatch(client, new BatchLookup(client), 1000);
        const price = imagePrice(
          { name: 'gemini', model: request.model, mode: 'batch' },
          request.resolution,
        );
        return watch.status(taskId, request.id, price, ctx.signal);
      }
      return Promise.reject(
        new PixlockError(
          'PROVIDER_TASK_LOST',
          `${request.id}: gemini call ${taskId} was synchronous: there is nothing to poll`,
        ),
      );
    },

    download() {
      return Promise.reject(
        new PixlockError('INTERNAL', 'gemini gives its results as bytes: nothing to download'),
      );
    },
  };
}
