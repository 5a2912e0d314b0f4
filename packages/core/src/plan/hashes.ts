import type { OutputOptions, ResolvedImage } from '../manifest/resolved-manifest.js';
import { sha256 } from '../util/sha256.js';
import { isUrlReference } from './is-url-reference.js';

/** Bump when post-processing changes what the same options produce: every image is reprocessed. */
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
  /** URLs as written; local files as `sha256:<hash of the file>`. */
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

/** sha256 over the output options: change one and the outputs are made again, for free. */
export function outputHash(output: OutputOptions): string {
  return sha256(
    JSON.stringify([
      'pixlock-output',
      PROCESSOR_VERSION,
      output.format,
      output.quality ?? null,
      output.width ?? null,
      output.height ?? null,
      output.widths ?? [],
      output.fit,
    ]),
  );
}

// Kept so existing imports of it from here still work; it lives in its own file.
export { isUrlReference } from './is-url-reference.js';

/**
 * The generation inputs of an image. `seed` is the one to use (manifest or pinned);
 * `referenceHash` gives the content hash of a local reference file.
 */
export function generationInputs(
  image: ResolvedImage,
  provider: { name: string; model: string },
  seed: number,
  referenceHash: (image: ResolvedImage, ref: string) => string | undefined,
): GenerationInputs {
  return {
    provider: provider.name,
    model: provider.model,
    prompt: image.prompt,
    negativePrompt: image.negativePrompt ?? null,
    seed,
    aspectRatio: image.aspectRatio,
    resolution: image.resolution,
    references: image.references.map((ref) =>
      isUrlReference(ref) ? ref : `sha256:${referenceHash(image, ref) ?? 'missing'}`,
    ),
  };
}
