import { PixlockError } from '../../errors.js';
import { howToSetKey } from './kinovi-config.js';

// A bearer token is visible ASCII: anything else (a space, CR/LF, a non-Latin-1 character
// pasted from a document) cannot be sent as a header, or splits it.
const SENDABLE = /^[\x21-\x7e]+$/;

/**
 * Why `key` cannot be sent as `Authorization: Bearer <key>`, or undefined when it can. The
 * reason never quotes the key, only the position and code point of the first bad character.
 */
export function apiKeyProblem(key: string): string | undefined {
  if (key === '') return 'it is empty';
  if (SENDABLE.test(key)) return undefined;
  const index = [...key].findIndex((c) => !SENDABLE.test(c));
  const cp = [...key][index]?.codePointAt(0) ?? 0;
  const what =
    cp === 0x20 ? 'a space' : cp < 0x20 || cp === 0x7f ? 'a control character' : 'a character';
  return (
    `it has ${what} (U+${cp.toString(16).toUpperCase().padStart(4, '0')}) at position ` +
    `${index + 1}; an API key is printable ASCII without spaces`
  );
}

/**
 * A configuration error (USAGE: the CLI exits 2) for a key that cannot be sent: raised
 * before any request, so nothing was sent, nothing charged, and no image is held.
 */
export function unsendableKey(problem: string, manifestFile?: string): PixlockError {
  return new PixlockError(
    'USAGE',
    `KINOVI_API_KEY cannot be sent as an HTTP header: ${problem}; ${howToSetKey(manifestFile)}`,
    { details: { retryable: false, mayHaveCharged: false } },
  );
}
