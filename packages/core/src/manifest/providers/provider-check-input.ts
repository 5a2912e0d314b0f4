import type { ImageInput, ManifestInput } from '../schema.js';

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
