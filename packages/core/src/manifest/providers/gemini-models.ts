import type { Resolution } from '../generation-values.js';

/**
 * What pixlock knows of one Gemini image model: what the manifest may ask of it. A model id
 * not listed here is the API's to accept or refuse (404): model ids change often, and the lock
 * pins whatever id the manifest names. Sources: docs/gemini-api.md ("generateContent for
 * images", "Models with image output").
 */
export interface GeminiModel {
  readonly id: string;
  /** Manifest resolutions it draws (`imageConfig.imageSize` 1K, 2K, 4K). */
  readonly resolutions: readonly Resolution[];
  /** `imageConfig.aspectRatio` values it takes. */
  readonly aspectRatios: readonly string[];
  /** Most reference images one prompt may carry, when Google states a limit. */
  readonly maxReferences?: number;
  /** Shut down: when, and the id that replaced it. */
  readonly retired?: { readonly on: string; readonly use: string };
}

/** The model a gemini manifest draws with when it names none: Nano Banana 2, GA. */
export const GEMINI_DEFAULT_MODEL = 'gemini-3.1-flash-image';

const RATIOS = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'];
const EXTREME = ['1:4', '4:1', '1:8', '8:1'];
const ALL_SIZES: readonly Resolution[] = ['1k', '2k', '4k'];

/** Image models as of 2026-12-04, GA ids first (docs/gemini-api.md). */
export const GEMINI_MODELS: readonly GeminiModel[] = [
  {
    id: 'gemini-3.1-flash-image',
    resolutions: ALL_SIZES,
    aspectRatios: [...RATIOS, ...EXTREME],
    maxReferences: 14,
  },
  { id: 'gemini-3-pro-image', resolutions: ALL_SIZES, aspectRatios: RATIOS, maxReferences: 14 },
  {
    id: 'gemini-3.1-flash-lite-image',
    resolutions: ['1k'],
    aspectRatios: [...RATIOS, ...EXTREME],
  },
  // A single 1K-class size; the aspect ratios of the SDK's list. Its shutdown was announced
  // for no earlier than 2026-10-02 and was not confirmed: the API answers for it.
  {
    id: 'gemini-2.5-flash-image',
    resolutions: ['1k'],
    aspectRatios: ['1:1', '2:3', '3:2', '3:4', '4:3', '9:16', '16:9', '21:9'],
  },
  {
    id: 'gemini-3.1-flash-image-preview',
    resolutions: ALL_SIZES,
    aspectRatios: [...RATIOS, ...EXTREME],
    retired: { on: '2026-06-25', use: 'gemini-3.1-flash-image' },
  },
  {
    id: 'gemini-3-pro-image-preview',
    resolutions: ALL_SIZES,
    aspectRatios: RATIOS,
    retired: { on: '2026-06-25', use: 'gemini-3-pro-image' },
  },
  {
    id: 'gemini-2.5-flash-image-preview',
    resolutions: ['1k'],
    aspectRatios: RATIOS,
    retired: { on: '2026-01-15', use: 'gemini-2.5-flash-image' },
  },
];

/** The model of that id, or undefined for one pixlock does not know (the API decides). */
export function geminiModel(
  id: string,
  models: readonly GeminiModel[] = GEMINI_MODELS,
): GeminiModel | undefined {
  return models.find((m) => m.id === id);
}
