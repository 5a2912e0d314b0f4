import { writeFile } from 'node:fs/promises';
import type {
  CreatedTask,
  GenerationRequest,
  ImageProvider,
  TaskStatus,
  UrlOutput,
} from '../image-provider.js';
import type { ProviderCapabilities } from '../provider-capabilities.js';
import { originalSize } from '../../manifest/output-files.js';
import { sha256 } from '../../util/sha256.js';
import { referenceThumbnail } from './reference-thumbnail.js';
import { renderPlaceholder, type PlaceholderSpec } from './render-placeholder.js';

/**
 * References inline (it draws insets of the manifest images an image is drawn from, from
 * their bytes; local files it leaves out); results as a `placeholder:` URL carrying the
 * request, rendered when "downloaded"; tasks with an id, so a resumed one draws the same.
 */
export const PLACEHOLDER_CAPABILITIES: ProviderCapabilities = Object.freeze({
  references: 'inline',
  results: 'url',
  calls: 'task',
});

/**
 * The offline provider: no network, no credits, and the same request always gives the same
 * bytes. Drawn from other images of the manifest, it shows a small inset of each one's pixels. Its "task id" is a hash of the request, and its "URL" carries the request itself, so
 * a resumed task renders exactly what was asked.
 */
export function placeholderProvider(): ImageProvider {
  return {
    name: 'placeholder',
    capabilities: PLACEHOLDER_CAPABILITIES,
    pollIntervalMs: 0,
    timeoutMs: 120_000,
    async createTask(request: GenerationRequest): Promise<CreatedTask> {
      return { taskId: `placeholder-${taskKey(request)}` };
    },
    async pollTask(_taskId: string, request: GenerationRequest): Promise<TaskStatus> {
      const { width, height } = originalSize(request.aspectRatio, request.resolution);
      const insets = await Promise.all(drawnFrom(request).map((r) => referenceThumbnail(r.bytes)));
      const spec: PlaceholderSpec = {
        id: request.id,
        prompt: request.prompt,
        seed: request.seed,
        width,
        height,
        ...(insets.length > 0 && { insets }),
      };
      const url = `placeholder:${encodeURIComponent(JSON.stringify(spec))}`;
      return {
        state: 'success',
        output: { url, mediaType: 'image/png', width, height },
        creditsUsed: 0,
      };
    },
    async download(output: UrlOutput, destination: string): Promise<{ mediaType: string }> {
      const spec = JSON.parse(
        decodeURIComponent(output.url.slice('placeholder:'.length)),
      ) as Parameters<typeof renderPlaceholder>[0];
      // A fresh file (never through a link planted at its name).
      await writeFile(destination, await renderPlaceholder(spec), { flag: 'wx' });
      return { mediaType: 'image/png' };
    },
  };
}

function taskKey(r: GenerationRequest): string {
  const originals = drawnFrom(r).map((i) => i.sha256);
  return sha256(
    JSON.stringify([r.id, r.prompt, r.seed, r.aspectRatio, r.resolution, ...originals]),
  ).slice(0, 16);
}

/** The originals of the manifest images it is drawn from (local files are not drawn). */
function drawnFrom(r: GenerationRequest) {
  return (r.inlineReferences ?? []).filter((ref) => 'image' in ref);
}
