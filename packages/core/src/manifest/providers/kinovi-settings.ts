import { z } from 'zod';

/** The model kinovi draws with when the manifest names none (the seed page's NanoBanana 2). */
export const KINOVI_DEFAULT_MODEL = 'nanobanana2';

/** `provider:` for kinovi, as written. Its key comes from the environment, never from here. */
export const kinoviSettingsSchema = z
  .strictObject({
    name: z.literal('kinovi').describe('kinovi: the real API, billed in credits.'),
    model: z.string().min(1).optional().describe(`Model name (default ${KINOVI_DEFAULT_MODEL}).`),
    baseUrl: z.url().optional().describe('API base URL; env KINOVI_BASE_URL overrides it.'),
    pollInterval: z.int().min(10).max(60000).optional().describe('Milliseconds between polls.'),
    timeout: z.int().min(1000).optional().describe('Milliseconds one image may take in all.'),
  })
  .describe('The kinovi jobs API.');

/** kinovi's settings once defaults apply; the rest are applied with the environment's. */
export interface ResolvedKinoviSettings {
  name: 'kinovi';
  model: string;
  baseUrl?: string;
  pollInterval?: number;
  timeout?: number;
}

/** Applies kinovi's manifest defaults (the model); leaves out what the manifest leaves out. */
export function resolveKinoviSettings(
  input: z.infer<typeof kinoviSettingsSchema>,
): ResolvedKinoviSettings {
  return {
    name: 'kinovi',
    model: input.model ?? KINOVI_DEFAULT_MODEL,
    ...(input.baseUrl !== undefined && { baseUrl: input.baseUrl }),
    ...(input.pollInterval !== undefined && { pollInterval: input.pollInterval }),
    ...(input.timeout !== undefined && { timeout: input.timeout }),
  };
}
