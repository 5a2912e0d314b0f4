import type { Diagnostic } from '../../errors.js';
import type { ImageInput, ManifestInput } from '../schema.js';
import { geminiImageProblems } from './gemini-image-problems.js';

/** A manifest as written (validated), for a provider's own checks of its images. */
export interface ProviderCheckInput {
  /** The main manifest: its `provider` and `defaults`. */
  main: Pick<ManifestInput, 'provider' | 'defaults'>;
  mainFile: string;
  /** Every file's images, the main one first. */
  sources: readonly { file: string; images: Readonly<Record<string, ImageInput>> }[];
}

/** Where a YAML path is written. */
export type Locate = (file: string, path: (string | number)[]) => { line: number; column: number };

/**
 * What the manifest's provider cannot draw as written (a size its model lacks, more
 * references than it takes, a reference format it refuses), each at the line that asks for it.
 * Pure. A provider plugs its own check in here; one without any has nothing to say.
 */
export function providerImageProblems(input: ProviderCheckInput, locate: Locate): Diagnostic[] {
  switch (input.main.provider.name) {
    case 'gemini':
      return geminiImageProblems(input, locate);
    default:
      return [];
  }
}
