import { z } from 'zod';
import {
  geminiSettingsSchema,
  resolveGeminiSettings,
  type ResolvedGeminiSettings,
} from './gemini-settings.js';
import {
  kinoviSettingsSchema,
  resolveKinoviSettings,
  type ResolvedKinoviSettings,
} from './kinovi-settings.js';
import {
  placeholderSettingsSchema,
  resolvePlaceholderSettings,
  type ResolvedPlaceholderSettings,
} from './placeholder-settings.js';

/**
 * The manifest's `provider:`, one form per provider told apart by `name`: each provider's
 * own keys are allowed under its name only, so a kinovi key under another provider is an
 * unknown key at its own line (describe-issue.ts names the provider it belongs to).
 *
 * A provider plugs in here: its settings module (schema, default model, resolve) beside
 * these, one option below and one case in {@link resolveProviderSettings}.
 */
export const providerSettingsSchema = z
  .discriminatedUnion('name', [
    placeholderSettingsSchema,
    kinoviSettingsSchema,
    geminiSettingsSchema,
  ])
  .describe('Which image API generates the originals, and its settings.');

/** The manifest's `provider:` as written. */
export type ProviderSettingsInput = z.infer<typeof providerSettingsSchema>;

/** The manifest's `provider:` once each provider's defaults apply. */
export type ResolvedProvider =
  ResolvedPlaceholderSettings | ResolvedKinoviSettings | ResolvedGeminiSettings;

/** One provider name. */
export type ProviderName = ResolvedProvider['name'];

/** Image providers pixlock knows, by their manifest name. */
export const PROVIDER_NAMES: readonly ProviderName[] = providerSettingsSchema.options.map(
  (option) => option.shape.name.value,
);

/** Applies the named provider's defaults (its default model first of all). */
export function resolveProviderSettings(input: ProviderSettingsInput): ResolvedProvider {
  switch (input.name) {
    case 'placeholder':
      return resolvePlaceholderSettings(input);
    case 'kinovi':
      return resolveKinoviSettings(input);
    case 'gemini':
      return resolveGeminiSettings(input);
  }
}
