// A bearer token or API key header is visible ASCII: anything else (a space, CR/LF, a
// non-Latin-1 character pasted from a document) cannot be sent as a header, or splits it.
const SENDABLE = /^[\x21-\x7e]+$/;

/**
 * Why `key` cannot be sent in an HTTP header (`Authorization: Bearer <key>`, `x-api-key`),
 * or undefined when it can. The reason never quotes the key, only the position and code
 * point of the first bad character.
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
