import { PixlockError } from '../../errors.js';
import type { GenerationRequest } from '../image-provider.js';

/** Reference formats the Gemini API takes as inline data (docs/gemini-api.md). */
export const GEMINI_REFERENCE_TYPES: ReadonlySet<string> = new Set([
  'image/png',
  'image/jpeg',
  'image/webp',
  'image/heic',
  'image/heif',
]);

/** A reference image as it goes in the request: its bytes and their type. */
export interface ReferenceBytes {
  /** For messages: the image id, file or URL it came from. */
  from: string;
  mediaType: string;
  bytes: Buffer;
}

/**
 * The text sent for a request. The API has no negative prompt field (only the retired Imagen
 * API had one), so a `negativePrompt` is appended to the prompt, on a line of its own, as
 * "Avoid: ...". Both are generation inputs, so the lock's generation hash covers what is sent.
 */
export function promptText(request: Pick<GenerationRequest, 'prompt' | 'negativePrompt'>): string {
  const negative = request.negativePrompt?.trim();
  return negative ? `${request.prompt}\n\nAvoid: ${negative}` : request.prompt;
}

/**
 * `generationConfig.seed` is an int32: pixlock's seeds are 0..2^32-1, sent as the int32 with
 * the same 32 bits (2^31 and above become negative), so every seed is a distinct one.
 */
export function seedOf(seed: number): number {
  return seed | 0;
}

/** `1k` → `1K`: the API's imageSize. */
export function imageSizeOf(resolution: string): string {
  return resolution.toUpperCase();
}

/**
 * The GenerateContentRequest for one image: one user turn of the prompt text, then each
 * reference image as inline data (the manifest images it is drawn from, then URLs, then local
 * files: the order kinovi receives them in), image output only, the aspect ratio and size in
 * `imageConfig`, and the seed. One candidate per request: `variants` are several requests.
 * @throws PixlockError PROVIDER_BAD_REQUEST for a reference in a format the API refuses.
 */
export function generateContentRequest(
  request: GenerationRequest,
  references: readonly ReferenceBytes[],
): Record<string, unknown> {
  for (const ref of references) {
    if (!GEMINI_REFERENCE_TYPES.has(ref.mediaType)) {
      throw new PixlockError(
        'PROVIDER_BAD_REQUEST',
        `${request.id}: reference ${ref.from} is ${ref.mediaType}; the Gemini API takes PNG, JPEG, WebP, HEIC or HEIF`,
      );
    }
  }
  return {
    contents: [
      {
        role: 'user',
        parts: [
          { text: promptText(request) },
          ...references.map((r) => ({
            inlineData: { mimeType: r.mediaType, data: r.bytes.toString('base64') },
          })),
        ],
      },
    ],
    generationConfig: {
      responseModalities: ['IMAGE'],
      imageConfig: { aspectRatio: request.aspectRatio, imageSize: imageSizeOf(request.resolution) },
      seed: seedOf(request.seed),
    },
  };
}

/** The references of a request in the order they are sent, URLs fetched by `fetchUrl`. */
export async function referencesOf(
  request: GenerationRequest,
  fetchUrl: (url: string) => Promise<ReferenceBytes>,
): Promise<ReferenceBytes[]> {
  const inline = request.inlineReferences ?? [];
  const from = (r: (typeof inline)[number]) => ('image' in r ? `{ image: ${r.image} }` : r.file);
  const images = inline.filter((r) => 'image' in r).map((r) => ({ ...r, from: from(r) }));
  const files = inline.filter((r) => 'file' in r).map((r) => ({ ...r, from: from(r) }));
  const urls = await Promise.all(request.references.map(fetchUrl));
  return [...images, ...urls, ...files].map(({ from: f, mediaType, bytes }) => ({
    from: f,
    mediaType,
    bytes,
  }));
}
