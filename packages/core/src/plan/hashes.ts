import type { OutputOptions, ResolvedImage } from '../manifest/resolved-manifest.js';
import { sha256 } from '../util/sha256.js';
import { isUrlReference } from '../manifest/is-url-reference.js';
import { clampedOutput, type PixelSize } from '../manifest/output-files.js';

/**
 * Bump when post-processing changes what the same options produce: every image is reprocessed
 * (free, from the kept originals) and its lock entry records the new files. The hash covers
 * the manifest's options, not the encoder library's defaults: those pixlock relies on are
 * pinned in engine/encoder-settings.ts (AVIF_ENCODER), so that upgrading sharp does not change
 * what an option means. Changing a pinned setting is such a change.
 */
export const PROCESSOR_VERSION = 1;

/** The inputs that decide what the provider draws: change one and the image is generated again. */
export interface GenerationInputs {
  provider: string;
  model: string;
  prompt: string;
  negativePrompt: string | null;
  seed: number;
  aspectRatio: string;
  resolution: string;
  /**
   * First `original:<sha256>` of each referenced manifest image's original (its content, so
   * a prompt edit upstream that yields a new original cascades, and an output-only change does
   * not); then URLs as written and local files as `sha256:<hash of the file>`.
   */
  references: string[];
}

/** sha256 over the canonical JSON of the generation inputs (keys in a fixed order). */
export function generationHash(inputs: GenerationInputs): string {
  return sha256(
    JSON.stringify([
      'pixlock-generation-v1',
      inputs.provider,
      inputs.model,
      inputs.prompt,
      inputs.negativePrompt,
      inputs.seed,
      inputs.aspectRatio,
      inputs.resolution,
      inputs.references,
    ]),
  );
}

/** Options that change the files but came after the first lockfiles: hashed only when set. */
const LATER_OPTIONS = [
  'formats',
  'full',
  'position',
  'background',
  'avif',
  'webp',
  'jpeg',
  'png',
] as const;

/**
 * sha256 over the output options: change one and the outputs are made again, for free.
 * `sizes` is left out (it changes no file). Options added later join the hash only when set,
 * so a manifest that uses none of them keeps the hash its lock has (no reprocess on upgrade).
 * With the original's size, the sizes hashed are the ones really made (clamped unless
 * `allowUpscale`), so the hash changes exactly when the files would: clamping changes an
 * old lock's upscaled file, and `allowUpscale` alone changes nothing when nothing is clamped.
 */
export function outputHash(output: OutputOptions, original?: PixelSize): string {
  const sized = original ? clampedOutput(output, original) : output;
  const fields: unknown[] = [
    'pixlock-output',
    PROCESSOR_VERSION,
    output.format,
    output.quality ?? null,
    sized.width ?? null,
    sized.height ?? null,
    sized.widths ?? [],
    output.fit,
  ];
  const later: Record<string, unknown> = {};
  for (const key of LATER_OPTIONS) if (output[key] !== undefined) later[key] = output[key];
  if (Object.keys(later).length > 0) fields.push(canonical(later));
  return sha256(JSON.stringify(fields));
}

/** The same value with object keys sorted, so key order in the manifest does not matter. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
  );
}

// Kept so existing imports of it from here still work; it lives in its own file.
export { isUrlReference } from '../manifest/is-url-reference.js';

/**
 * The generation inputs of an image. `seed` is the one to use (manifest or pinned);
 * `referenceHash` gives the content hash of a local reference file, `originalOf` the sha256 of
 * a referenced image's original (needed only by images that reference one).
 */
export function generationInputs(
  image: ResolvedImage,
  provider: { name: string; model: string },
  seed: number,
  referenceHash: (image: ResolvedImage, ref: string) => string | undefined,
  originalOf?: (id: string) => string | undefined,
): GenerationInputs {
  const files = image.references.map((ref) =>
    isUrlReference(ref) ? ref : `sha256:${referenceHash(image, ref) ?? 'missing'}`,
  );
  return {
    provider: provider.name,
    model: provider.model,
    prompt: image.prompt,
    negativePrompt: image.negativePrompt ?? null,
    seed,
    aspectRatio: image.aspectRatio,
    resolution: image.resolution,
    // An image without image references hashes exactly as before they existed.
    references:
      image.imageReferences.length === 0
        ? files
        : [
            ...image.imageReferences.map((id) => `original:${originalOf?.(id) ?? 'missing'}`),
            ...files,
          ],
  };
}
