import { z } from 'zod';
import { GEMINI_DEFAULT_MODEL } from './gemini-models.js';

/** How the gemini provider calls the API. */
export const GEMINI_MODES = ['interactive', 'batch'] as const;
/** One of {@link GEMINI_MODES}. */
export type GeminiMode = (typeof GEMINI_MODES)[number];

// The id is written into the request path (`models/{id}:generateContent`): Google's ids are
// lowercase words, digits, dots and dashes, and nothing else may reach the path.
const MODEL_ID = /^[a-z0-9][a-z0-9.-]{0,99}$/;

/** `provider:` for gemini, as written. Its key comes from the environment, never from here. */
export const geminiSettingsSchema = z
  .strictObject({
    name: z
      .literal('gemini')
      .describe("gemini: Google's Gemini API directly (the Nano Banana models), billed in USD."),
    model: z
      .string()
      .regex(MODEL_ID, 'a Gemini model id: lowercase letters, digits, dots and dashes')
      .optional()
      .describe(`Gemini model id (default ${GEMINI_DEFAULT_MODEL}).`),
    mode: z
      .enum(GEMINI_MODES)
      .optional()
      .describe(
        'interactive (default): one call per image, the image in the answer. batch: Batch mode, half the price, results within 24 h (usually much sooner); `generate --no-wait` submits and exits.',
      ),
    baseUrl: z
      .url()
      .optional()
      .describe(
        "Root URL of the API (Google's only); env GOOGLE_GEMINI_BASE_URL names another server.",
      ),
    pollInterval: z
      .int()
      .min(10)
      .max(3_600_000)
      .optional()
      .describe('batch: milliseconds between polls of a batch job (default 30000).'),
    timeout: z
      .int()
      .min(1000)
      .optional()
      .describe(
        'Milliseconds one image may take: one call (interactive, default 300000) or from submit to collected (batch, default 25 h).',
      ),
  })
  .describe("Google's Gemini API.");

/** gemini's settings once defaults apply; the rest are applied with the environment's. */
export interface ResolvedGeminiSettings {
  name: 'gemini';
  model: string;
  mode: GeminiMode;
  baseUrl?: string;
  pollInterval?: number;
  timeout?: number;
}

/** Applies gemini's manifest defaults (model, mode); leaves out what the manifest leaves out. */
export function resolveGeminiSettings(
  input: z.infer<typeof geminiSettingsSchema>,
): ResolvedGeminiSettings {
  return {
    name: 'gemini',
    model: input.model ?? GEMINI_DEFAULT_MODEL,
    mode: input.mode ?? 'interactive',
    ...(input.baseUrl !== undefined && { baseUrl: input.baseUrl }),
    ...(input.pollInterval !== undefined && { pollInterval: input.pollInterval }),
    ...(input.timeout !== undefined && { timeout: input.timeout }),
  };
}
