import { z } from 'zod';
import { KINOVI_DEFAULT_MODEL } from './kinovi-settings.js';

/**
 * The model the placeholder records when the manifest names none. It draws with no model, so
 * it records the one it stands in for: kinovi's default. Locks written before each provider
 * had its own default recorded this, so their generation hashes (which cover the model) stay
 * what they were and nothing is drawn again on upgrade.
 */
export const PLACEHOLDER_DEFAULT_MODEL = KINOVI_DEFAULT_MODEL;

/** `provider:` for the offline placeholder, as written. */
export const placeholderSettingsSchema = z
  .strictObject({
    name: z
      .literal('placeholder')
      .describe(
        'placeholder: offline, free, no key; the same request always draws the same image.',
      ),
    model: z
      .string()
      .min(1)
      .optional()
      .describe(
        `The model the real provider will use; recorded, not used (default ${PLACEHOLDER_DEFAULT_MODEL}).`,
      ),
  })
  .describe('The offline placeholder provider.');

/** The placeholder's settings once defaults apply. */
export interface ResolvedPlaceholderSettings {
  name: 'placeholder';
  model: string;
}

/** Applies the placeholder's defaults. */
export function resolvePlaceholderSettings(
  input: z.infer<typeof placeholderSettingsSchema>,
): ResolvedPlaceholderSettings {
  return { name: 'placeholder', model: input.model ?? PLACEHOLDER_DEFAULT_MODEL };
}
