import { isPixlockError, PixlockError } from '../../errors.js';
import { imagePrice } from '../../pricing/price-table.js';
import type {
  CreatedTask,
  GenerationRequest,
  ImageProvider,
  ProviderCallContext,
  TaskStatus,
  UrlOutput,
} from '../image-provider.js';
import type { ProviderCapabilities } from '../provider-capabilities.js';
import { downloadToFile } from '../../http/download-to-file.js';
import { httpDeps, type HttpDeps } from '../../http/http-deps.js';
import { DEFAULT_RETRY } from '../../http/with-retries.js';
import type { KinoviConfig } from './kinovi-config.js';
import { checkKinoviConfig } from './check-kinovi-config.js';
import { callKinovi, unconfirmedCreate, type HttpSettings } from './kinovi-http.js';
import { parseTaskId, parseTaskStatus } from './parse-task.js';
import { uploadOriginalBytes, uploadReference } from './upload-reference.js';
import { sha256 } from '../../util/sha256.js';

/**
 * References as public URLs, local files and originals uploaded first (the API takes only
 * URLs); results as CDN URLs; tasks with an id, polled.
 */
export const KINOVI_CAPABILITIES: ProviderCapabilities = Object.freeze({
  references: 'uploads',
  results: 'url',
  calls: 'task',
});

/** Default for {@link KinoviConfig.requestTimeoutMs}. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Default for {@link KinoviConfig.downloadTimeoutMs}. */
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 120_000;
/** Default for {@link KinoviConfig.maxDownloadBytes}: far above a 4k PNG. */
export const DEFAULT_MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024;

/**
 * The kinovi jobs API (`POST /jobs/createTask`, `GET /jobs/recordInfo`) as an
 * {@link ImageProvider}. Tolerant of the answer variants seen in the wild (envelopes, `state`,
 * `task_id`, string or object errors); see kinovi-http.ts for what is retried.
 * @throws TypeError when the config is malformed.
 */
export function kinoviProvider(config: KinoviConfig, deps: Partial<HttpDeps> = {}): ImageProvider {
  checkKinoviConfig(config);
  const d = httpDeps(deps);
  // Held in this closure only: the returned object carries no key to print by accident.
  const settings: HttpSettings = {
    apiKey: config.apiKey,
    retry: { ...DEFAULT_RETRY, ...config.retry },
    requestTimeoutMs: config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
  };
  const base = config.baseUrl.replace(/\/+$/, '');

  return {
    name: 'kinovi',
    capabilities: KINOVI_CAPABILITIES,
    pollIntervalMs: config.pollIntervalMs,
    timeoutMs: config.timeoutMs,

    async createTask(request: GenerationRequest, ctx: ProviderCallContext): Promise<CreatedTask> {
      const payload = await callKinovi(
        {
          imageId: request.id,
          endpoint: 'createTask',
          method: 'POST',
          url: `${base}/jobs/createTask`,
          body: createTaskBody(request),
          signal: ctx.signal,
        },
        settings,
        d,
      );
      const taskId = parseTaskId(payload);
      if (taskId === undefined) {
        throw unconfirmedCreate(
          request.id,
          `kinovi accepted createTask but named no usable taskId in ${preview(payload)}`,
          { details: { answer: payload } },
        );
      }
      return { taskId };
    },

    async uploadReference(
      file: string,
      request: GenerationRequest,
      ctx: ProviderCallContext,
    ): Promise<string> {
      return uploadReference(file, request.id, {
        base,
        settings,
        deps: d,
        signal: ctx.signal,
        uploadTimeoutMs: config.downloadTimeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS,
      });
    },

    async uploadOriginal(
      bytes: Buffer,
      mediaType: string,
      request: GenerationRequest,
      ctx: ProviderCallContext,
    ): Promise<string> {
      return uploadOriginalBytes(bytes, sha256(bytes), mediaType, request.id, {
        base,
        settings,
        deps: d,
        signal: ctx.signal,
        uploadTimeoutMs: config.downloadTimeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS,
      });
    },

    async pollTask(
      taskId: string,
      request: GenerationRequest,
      ctx: ProviderCallContext,
    ): Promise<TaskStatus> {
      const payload = await callKinovi(
        {
          imageId: request.id,
          endpoint: 'recordInfo',
          taskId,
          method: 'GET',
          url: `${base}/jobs/recordInfo?taskId=${encodeURIComponent(taskId)}`,
          signal: ctx.signal,
        },
        settings,
        d,
      );
      // An answer about another task (a mixed-up cache or gateway) says nothing about this
      // one: a fault to poll through until the deadline, never a status to act on.
      const answered = parseTaskId(payload);
      if (answered !== undefined && answered !== taskId) {
        throw new PixlockError(
          'PROVIDER_UNAVAILABLE',
          `${request.id}: kinovi answered recordInfo for task ${taskId} about task ${answered.slice(0, 80)}`,
          { details: { taskId, answeredTaskId: answered } },
        );
      }
      let status: TaskStatus | undefined;
      try {
        // Its list price stands in for a cost the answer leaves out.
        const listed = imagePrice({ name: 'kinovi', model: request.model }, request.resolution);
        status = parseTaskStatus(payload, listed);
      } catch (error) {
        if (!isPixlockError(error, 'PROVIDER_PROTOCOL')) throw error;
        throw new PixlockError(
          'PROVIDER_PROTOCOL',
          `${request.id}: task ${taskId}: ${error.message}`,
          { details: { taskId, ...error.extra.details } },
        );
      }
      if (status === undefined) {
        throw new PixlockError(
          'PROVIDER_UNAVAILABLE',
          `${request.id}: kinovi answered recordInfo for task ${taskId} without a status or, done, without an output URL: ${preview(payload)}`,
          { details: { taskId, answer: payload } },
        );
      }
      return status;
    },

    async download(
      output: UrlOutput,
      destination: string,
      ctx: ProviderCallContext,
    ): Promise<{ mediaType?: string }> {
      const { contentType } = await downloadToFile(output.url, destination, {
        fetch: d.fetch,
        clock: d.clock,
        signal: ctx.signal,
        maxBytes: config.maxDownloadBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES,
        timeoutMs: config.downloadTimeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS,
      });
      // The served type beats the announced one; the engine decodes the bytes either way.
      const mediaType = contentType?.startsWith('image/') ? contentType : output.mediaType;
      return mediaType ? { mediaType } : {};
    },
  };
}

/**
 * The createTask body. References go under both `imageUrls` (the seed page's name) and
 * `uploadedUrls` (the provider's current name): unknown keys are silently ignored, so sending
 * only the wrong one would drop the references without an error.
 */
export function createTaskBody(request: GenerationRequest): {
  model: string;
  inputs: Record<string, unknown>;
} {
  const references = [...request.references];
  const negative = request.negativePrompt?.trim();
  return {
    model: request.model,
    inputs: {
      prompt: request.prompt,
      ...(references.length > 0 && { imageUrls: references, uploadedUrls: references }),
      ...(negative && { negativePrompt: request.negativePrompt }),
      aspectRatio: request.aspectRatio,
      resolution: request.resolution,
      seed: request.seed,
    },
  };
}

function preview(payload: Record<string, unknown>): string {
  const text = JSON.stringify(payload);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
