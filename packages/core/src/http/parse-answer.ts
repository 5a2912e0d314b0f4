import { isSafeNumber, parse } from 'lossless-json';
import { redactDeep, redactSecret } from './redact-secret.js';
import { cleanServerValue } from './server-text.js';

/**
 * Reads an API answer's text into a value safe to keep, print and store: the key redacted
 * both in the text (as echoed, in any encoding) and in every parsed string (parsing decodes
 * escapes such as `sk\/KEY`); control characters and terminal escapes neutralised; integers
 * beyond 2^53 kept as their digits (a string) rather than rounded, so a numeric task id
 * survives exactly. `{}` for an empty body, undefined when the text is not JSON.
 */
export function parseAnswer(text: string, secret: string): unknown {
  const scrubbed = redactSecret(text, secret);
  if (scrubbed.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = parse(scrubbed, null, parseNumber);
  } catch {
    // Not JSON, a duplicate key, or nesting too deep to walk: a malformed answer.
    return undefined;
  }
  return cleanServerValue(redactDeep(parsed, secret));
}

function parseNumber(digits: string): unknown {
  if (isSafeNumber(digits)) return Number(digits);
  // An integer JSON.parse would round: its exact digits. Other numbers lose only precision
  // (or become Infinity, which every reader rejects as not finite).
  return /^-?\d+$/.test(digits) ? digits : Number(digits);
}
