import type { Diagnostic } from '../errors.js';

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

/**
 * Decodes a manifest's bytes as UTF-8, refusing invalid sequences: a lenient decoder would turn
 * them into U+FFFD silently, and that would change the prompt and its hash without a word.
 * A leading byte-order mark is dropped. Returns the text, or the diagnostic of the first bad line.
 */
export function decodeUtf8(
  bytes: Uint8Array,
  file: string,
): { ok: true; text: string } | { ok: false; diagnostic: Diagnostic } {
  try {
    return { ok: true, text: strict.decode(bytes) };
  } catch {
    // Only on failure: find the line, one line at a time.
  }
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a) continue;
    const lineBytes = bytes.subarray(start, i);
    try {
      strict.decode(lineBytes);
    } catch {
      const column = lenient.decode(lineBytes).indexOf('\uFFFD') + 1 || 1;
      return {
        ok: false,
        diagnostic: {
          file,
          path: [],
          line,
          column,
          message:
            'the file is not valid UTF-8 here: save it as UTF-8 (a manifest is read as UTF-8 only)',
        },
      };
    }
    line++;
    start = i + 1;
  }
  // A sequence cut at the very end decodes line by line only if the file ends mid-character.
  return {
    ok: false,
    diagnostic: {
      file,
      path: [],
      line: line - 1,
      column: 1,
      message: 'the file is not valid UTF-8',
    },
  };
}
