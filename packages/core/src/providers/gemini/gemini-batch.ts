import { PixlockError } from '../../errors.js';
import { imagePrice } from '../../pricing/price-table.js';
import type { CreatedTask, GenerationRequest, ImageProvider } from '../image-provider.js';
import type { ProviderCapabilities } from '../provider-capabilities.js';
import { BatchLookup } from './batch-lookup.js';
import { batchNamer } from './batch-names.js';
import { submitBatch, type BatchItem } from './batch-submit.js';
import { BatchWatch } from './batch-watch.js';
import type { GeminiClient } from './gemini-client.js';
import { generateContentRequest, referencesOf } from './gemini-request.js';
import { Gatherer } from './gatherer.js';

/** Batch jobs: tasks named before they are sent, polled; references inline; images as bytes. */
export const GEMINI_BATCH_CAPABILITIES: ProviderCapabilities = Object.freeze({
  references: 'inline',
  results: 'bytes',
  calls: 'task',
  taskNames: 'client',
});

/** Requests per batch job, and the answers' size it may reach (they are read whole per line). */
export const MAX_BATCH_REQUESTS = 100;
const MAX_BATCH_OUTPUT_BYTES = 256 * 1024 * 1024;
/** What one answer weighs in base64, by resolution: a PNG of the size, generously. */
const OUTPUT_BYTES: Record<string, number> = { '1k': 3 << 20, '2k': 10 << 20, '4k': 40 << 20 };
/** Images a run may have waiting in batch jobs at once (Google queues them, not an account slot). */
export const BATCH_MAX_IN_FLIGHT = 5000;

/**
 * Batch mode: the run's creates, gathered for a moment (`gatherMs` after the last one, at
 * most `maxGatherMs`), go as batch jobs (batch-submit.ts) at half the price; each image is
 * the task `<batch>#<key>`, polled through one shared GET per batch (batch-watch.ts). Every
 * task is recorded in the lock before its job is sent, under the job's display name, so a run
 * killed at any moment resumes every job and creates nothing twice.
 */
export function geminiBatch(client: GeminiClient): ImageProvider {
  const { config, deps } = client;
  const lookup = new BatchLookup(client);
  const watch = new BatchWatch(client, lookup, Math.min(1000, config.pollIntervalMs / 2));
  const nextName = batchNamer(() => deps.clock.now());
  const gatherers = new Map<string, Gatherer<BatchItem, string>>();
  const gathererFor = (model: string) => {
    let gatherer = gatherers.get(model);
    if (!gatherer) {
      gatherer = new Gatherer<BatchItem, string>({
        clock: deps.clock,
        quietMs: config.gatherMs ?? 250,
        maxMs: config.maxGatherMs ?? 3000,
        full: (items) =>
          items.length >= MAX_BATCH_REQUESTS ||
          items.reduce((n, i) => n + (OUTPUT_BYTES[i.request.resolution] ?? 40 << 20), 0) >=
            MAX_BATCH_OUTPUT_BYTES,
        submit: (members) =>
          submitBatch({ client, lookup, model, displayName: nextName() }, members),
      });
      gatherers.set(model, gatherer);
    }
    return gatherer;
  };
  const price = (request: GenerationRequest) =>
    imagePrice({ name: 'gemini', model: request.model, mode: 'batch' }, request.resolution);

  return {
    name: 'gemini',
    capabilities: GEMINI_BATCH_CAPABILITIES,
    pollIntervalMs: config.pollIntervalMs,
    timeoutMs: config.timeoutMs,
    maxInFlight: BATCH_MAX_IN_FLIGHT,
    chargesListPrice: true,

    async createTask(request: GenerationRequest, ctx): Promise<CreatedTask> {
      const { recordTask } = ctx;
      if (!recordTask) {
        throw new PixlockError(
          'INTERNAL',
          `${request.id}: gemini batch tasks are named before they are sent; the caller gave no recordTask`,
        );
      }
      const references = await referencesOf(request, (url) =>
        client.fetchUrl(url, request.id, ctx.signal),
      );
      const body = JSON.stringify(generateContentRequest(request, references));
      const taskId = await gathererFor(request.model).join(
        { request, body, recordTask },
        ctx.signal,
      );
      return { taskId };
    },

    pollTask(taskId, request, ctx) {
      return watch.status(taskId, request.id, price(request), ctx.signal);
    },

    download() {
      return Promise.reject(
        new PixlockError('INTERNAL', 'gemini gives its results as bytes: nothing to download'),
      );
    },
  };
}
