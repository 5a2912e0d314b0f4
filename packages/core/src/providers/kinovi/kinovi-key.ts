import { basename } from 'node:path';
import { PixlockError } from '../../errors.js';
import { dotenvPathFor } from '../provider-environment.js';

/** How to set the key, for every "no key" or "key refused" message. */
export function howToSetKey(manifestFile?: string): string {
  const name = manifestFile ? basename(manifestFile) : 'pixlock.yaml';
  const where = manifestFile ? dotenvPathFor(manifestFile) : `a .env file beside ${name}`;
  return (
    `set it with \`export KINOVI_API_KEY=...\` or a line \`KINOVI_API_KEY=...\` in ${where}; ` +
    `the key never goes in ${name}`
  );
}

/** No key in the environment or the `.env` beside the manifest. */
export function missingKey(manifestFile: string): PixlockError {
  return new PixlockError(
    'PROVIDER_AUTH',
    `the kinovi provider needs an API key: ${howToSetKey(manifestFile)}`,
  );
}

/**
 * A configuration error (USAGE: the CLI exits 2) for a key that cannot be sent
 * (see api-key-problem.ts): raised before any request, so nothing was sent, nothing charged,
 * and no image is held.
 */
export function unsendableKey(problem: string, manifestFile?: string): PixlockError {
  return new PixlockError(
    'USAGE',
    `KINOVI_API_KEY cannot be sent as an HTTP header: ${problem}; ${howToSetKey(manifestFile)}`,
    { details: { retryable: false, mayHaveCharged: false } },
  );
}
