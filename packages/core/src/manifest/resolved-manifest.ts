import type { AspectRatio, Fit, OutputFormat, ProviderName, Resolution } from './schema.js';

/** Output options after defaults are applied. */
export interface OutputOptions {
  format: OutputFormat;
  quality?: number;
  width?: number;
  height?: number;
  widths?: number[];
  fit: Fit;
}

/** One image with defaults applied: everything needed to generate and process it. */
export interface ResolvedImage {
  id: string;
  prompt: string;
  /** Undefined when the manifest leaves it to the lock. */
  seed?: number;
  aspectRatio: AspectRatio;
  resolution: Resolution;
  negativePrompt?: string;
  /** As written: URLs, or paths relative to `sourceFile`'s folder. */
  references: string[];
  output: OutputOptions;
  /** Candidates to generate (`variants`, 2-8); absent for one. */
  variants?: number;
  /** Absolute path of the manifest file that declares this image. */
  sourceFile: string;
}

/** Provider settings after defaults are applied. */
export interface ResolvedProvider {
  name: ProviderName;
  model: string;
  baseUrl?: string;
  pollInterval?: number;
  timeout?: number;
}

/** The whole manifest, every included file merged, ids sorted. */
export interface ResolvedManifest {
  /** Absolute path of the main manifest. */
  file: string;
  /** Folder of the main manifest: lock, originals and outDir are relative to it. */
  dir: string;
  /** outDir relative to `dir`, with forward slashes. */
  outDir: string;
  provider: ResolvedProvider;
  concurrency: number;
  budget?: number;
  images: ResolvedImage[];
  /** Every manifest file read, main first. */
  files: string[];
}
