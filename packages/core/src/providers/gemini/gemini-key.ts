import { basename } from 'node:path';
import { PixlockError } from '../../errors.js';
import { dotenvPathFor } from '../provider-environment.js';

/** The variables the key is read from, in the order the official SDK reads them. */
export const GEMINI_KEY_VARIABLES = ['GOOGLE_API_KEY', 'GEMINI_API_KEY'] as const;

/** How to set the key, for every "no key" or "key refused" message. */
export function howToSetGeminiKey(manifestFile?: string): string {
  const name = manifestFile ? basename(manifestFile) : 'pixlock.yaml';
  const where = manifestFile ? dotenvPathFor(manifestFile) : `a .env file beside ${name}`;
  return (
    `set it with \`export GEMINI_API_KEY=...\` (or GOOGLE_API_KEY, which wins when both are ` +
    `set) or a line \`GEMINI_API_KEY=...\` in ${where}; the key never goes in ${name}`
  );
}

/** No key in the environment or the `.env` beside the manifest. */
export function missingGeminiKey(manifestFile: string): PixlockError {
  return new PixlockError(
    'PROVIDER_AUTH',
    `the gemini provider needs a Gemini API key: ${howToSetGeminiKey(manifestFile)}`,
  );
}

/**
 * A configuration error (USAGE: exit 2) for a key that cannot be sent as a header: raised
 * before any request, so nothing was sent or charged and no image is held.
 */
export function unsendableGeminiKey(
  variable: string,
  problem: string,
  manifestFile?: string,
): PixlockError {
  return new PixlockError(
    'USAGE',
    `${variable} cannot be sent as an HTTP header: ${problem}; ${howToSetGeminiKey(manifestFile)}`,
    { details: { retryable: false, mayHaveCharged: false } },
  );
}
