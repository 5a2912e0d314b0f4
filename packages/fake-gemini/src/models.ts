/** `imageConfig.imageSize` values the API documents (uppercase K; `512` only on 3.1 Flash Image). */
export const IMAGE_SIZES = ['512', '1K', '2K', '4K'] as const;
/** One of {@link IMAGE_SIZES}. */
export type ImageSize = (typeof IMAGE_SIZES)[number];

/** The aspect ratios every image model takes. */
const BASE_RATIOS = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'];
/** The extreme ratios 3.1 Flash Image and its Lite sibling add. */
const EXTREME_RATIOS = ['1:4', '4:1', '1:8', '8:1'];

/** What the fake knows of one image model: what it accepts and what an image costs. */
export interface ModelSpec {
  /** The id as written in `models/{id}:generateContent`. */
  readonly id: string;
  /** Accepted `imageSize` values; the first is the default when none is sent. */
  readonly imageSizes: readonly ImageSize[];
  /** Accepted `aspectRatio` values. */
  readonly aspectRatios: readonly string[];
  /** Output tokens per image, by size (what `usageMetadata` reports). */
  readonly tokens: Partial<Record<ImageSize, number>>;
  /** USD per output image in interactive mode, by size; batch is half. */
  readonly usd: Partial<Record<ImageSize, number>>;
}

// Figures from docs/gemini-api.md ("Models" and "Prices"): written here again on purpose, as
// the fake stands for the server and must not share a table with the client it checks.
const FLASH_31 = {
  imageSizes: ['1K', '512', '2K', '4K'],
  aspectRatios: [...BASE_RATIOS, ...EXTREME_RATIOS],
  tokens: { '512': 747, '1K': 1120, '2K': 1680, '4K': 2520 },
  usd: { '512': 0.045, '1K': 0.067, '2K': 0.101, '4K': 0.151 },
} as const;
const PRO_3 = {
  imageSizes: ['1K', '2K', '4K'],
  aspectRatios: BASE_RATIOS,
  tokens: { '1K': 1120, '2K': 1120, '4K': 2000 },
  usd: { '1K': 0.134, '2K': 0.134, '4K': 0.24 },
} as const;

/** Every image model the fake serves by default, GA ids first. */
export const MODELS: readonly ModelSpec[] = [
  { id: 'gemini-3.1-flash-image', ...FLASH_31 },
  { id: 'gemini-3-pro-image', ...PRO_3 },
  {
    id: 'gemini-3.1-flash-lite-image',
    imageSizes: ['1K'],
    aspectRatios: [...BASE_RATIOS, ...EXTREME_RATIOS],
    tokens: { '1K': 1120 },
    usd: { '1K': 0.034 },
  },
  {
    id: 'gemini-2.5-flash-image',
    imageSizes: ['1K'],
    aspectRatios: BASE_RATIOS,
    tokens: { '1K': 1290 },
    usd: { '1K': 0.039 },
  },
  { id: 'gemini-3.1-flash-image-preview', ...FLASH_31 },
  { id: 'gemini-3-pro-image-preview', ...PRO_3 },
];

/** The spec of `id` among the served `ids`, or undefined (the API answers 404). */
export function findModel(id: string, served: readonly string[]): ModelSpec | undefined {
  return served.includes(id) ? MODELS.find((m) => m.id === id) : undefined;
}

/** USD for one image of `model` at `size`: half in batch mode. */
export function imagePrice(
  model: ModelSpec,
  size: ImageSize,
  mode: 'interactive' | 'batch',
): number {
  const usd = model.usd[size] ?? 0;
  return mode === 'batch' ? usd / 2 : usd;
}
