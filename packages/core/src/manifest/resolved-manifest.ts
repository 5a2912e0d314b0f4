import type { ResolvedProvider } from './providers/provider-settings.js';
import type { ResolvedStore } from './store-schema.js';
import type {
  AspectRatio,
  ExposableField,
  Fit,
  OutputFormat,
  Position,
  Resolution,
} from './schema.js';

export type { ResolvedProvider } from './providers/provider-settings.js';

/** Encoder settings of one format, as written. */
export interface EncoderOptions {
  quality?: number;
  effort?: number;
  lossless?: boolean;
  progressive?: boolean;
}

/** Output options after defaults are applied. */
export interface OutputOptions {
  /** The one format, or the first of `formats`. */
  format: OutputFormat;
  /** Set only when the manifest uses `formats`: every format, in order of preference. */
  formats?: OutputFormat[];
  quality?: number;
  width?: number;
  height?: number;
  widths?: number[];
  /** As written; see writesFullSize() for what it means when left out. */
  full?: boolean;
  allowUpscale?: boolean;
  fit: Fit;
  position?: Position;
  background?: string;
  /** The `sizes` attribute; passed through, no effect on the files. */
  sizes?: string;
  avif?: EncoderOptions;
  webp?: EncoderOptions;
  jpeg?: EncoderOptions;
  png?: EncoderOptions;
}

/** One image with defaults applied: everything needed to generate and process it. */
export interface ResolvedImage {
  id: string;
  prompt: string;
  /** Alt text, as written. */
  alt?: string;
  /** Undefined when the manifest leaves it to the lock. */
  seed?: number;
  aspectRatio: AspectRatio;
  resolution: Resolution;
  negativePrompt?: string;
  /** As written: URLs, or paths relative to `sourceFile`'s folder. */
  references: string[];
  /**
   * Ids of other images of the manifest this one is drawn from (`{ image: <id> }`), in the
   * order written. Their originals are sent as references and their sha256 are part of this
   * image's generation hash.
   */
  imageReferences: string[];
  output: OutputOptions;
  /**
   * Fields of the generation the Vite import carries (`expose`; the image's list replaces
   * the defaults'); absent for none. Not a generation or output input.
   */
  expose?: ExposableField[];
  /** Candidates to generate (`variants`, 2-8); absent for one. */
  variants?: number;
  /** Absolute path of the manifest file that declares this image. */
  sourceFile: string;
}

/** The whole manifest, every included file merged, ids sorted. */
export interface ResolvedManifest {
  /** Absolute path of the main manifest. */
  file: string;
  /** Folder of the main manifest: lock, originals and outDir are relative to it. */
  dir: string;
  /** outDir relative to `dir`, with forward slashes. */
  outDir: string;
  /** The provider's settings, its defaults applied (manifest/providers/). */
  provider: ResolvedProvider;
  concurrency: number;
  budget?: number;
  /** The object store originals (and outputs) are kept in, when the manifest names one. */
  store?: ResolvedStore;
  images: ResolvedImage[];
  /** Every manifest file read, main first. */
  files: string[];
}
