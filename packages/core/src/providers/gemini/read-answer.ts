import { randomBytes } from 'node:crypto';
import { redactDeep, redactSecret } from '../../http/redact-secret.js';
import { cleanServerText, cleanServerValue } from '../../http/server-text.js';

/** An answer's JSON made safe to keep and print, its image bytes taken out first. */
export interface ReadAnswer {
  /** Every string redacted and cleaned; each long `inlineData.data` replaced by a marker. */
  body: Record<string, unknown>;
  /** The decoded `inlineData.data` of the answer: read them with {@link blobOf}. */
  blobs: Buffer[];
  /** Makes this answer's markers unguessable, so a server cannot forge one. */
  nonce: string;
}

// Longer than any message or id: image data, kept out of the redaction and cleaning below.
const BLOB_MIN = 256;

/**
 * Reads a Gemini answer's text: `undefined` when it is not a JSON object. Image parts carry
 * megabytes of base64 that is no text to show, so every `inlineData.data` is decoded into
 * `blobs` before the rest is redacted (the key in any encoding, as echoed in error details)
 * and cleaned (control characters, strings cut to 16 KB), which then costs what a small
 * answer costs. A key hidden in image bytes reaches no message, log or lock: the bytes go to
 * the decoder only. Gemini answers carry int64 values as strings, so JSON.parse loses nothing.
 */
export function readAnswer(text: string, secret: string): ReadAnswer | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const blobs: Buffer[] = [];
  const nonce = randomBytes(8).toString('hex');
  try {
    takeBlobs(parsed, blobs, nonce, 0);
    const body = cleanServerValue(redactDeep(parsed, secret)) as Record<string, unknown>;
    return { body, blobs, nonce };
  } catch {
    // Nested too deep to walk: no answer of the API's.
    return undefined;
  }
}

/** Text that is not JSON, made safe to quote: redacted, cleaned, the first 300 characters. */
export function answerSnippet(text: string, secret: string): string {
  return cleanServerText(redactSecret(text.slice(0, 4096), secret)).slice(0, 300);
}

/** The bytes a `data` field of {@link ReadAnswer.body} stands for, or undefined. */
export function blobOf(answer: ReadAnswer, data: unknown): Buffer | undefined {
  if (typeof data !== 'string') return undefined;
  const prefix = `blob:${answer.nonce}:`;
  if (data.startsWith(prefix)) return answer.blobs[Number(data.slice(prefix.length))];
  // Short data was left in place (and went through redaction with the rest).
  return data.length > 0 ? Buffer.from(data, 'base64') : undefined;
}

function takeBlobs(value: unknown, blobs: Buffer[], nonce: string, depth: number): void {
  if (depth > 64) throw new RangeError('too deep');
  if (Array.isArray(value)) {
    for (const v of value) takeBlobs(v, blobs, nonce, depth + 1);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  for (const key of ['inlineData', 'inline_data']) {
    const inline = record[key];
    if (typeof inline === 'object' && inline !== null && !Array.isArray(inline)) {
      const data = (inline as Record<string, unknown>).data;
      if (typeof data === 'string' && data.length >= BLOB_MIN) {
        blobs.push(Buffer.from(data, 'base64'));
        (inline as Record<string, unknown>).data = `blob:${nonce}:${blobs.length - 1}`;
      }
    }
  }
  for (const v of Object.values(record)) takeBlobs(v, blobs, nonce, depth + 1);
}
