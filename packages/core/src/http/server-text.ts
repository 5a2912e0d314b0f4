import { mapStrings, redactSecret } from './redact-secret.js';

// C0 and C1 controls (ESC, CR, LF, BEL, …), DEL, and the invisible characters that reorder
// or hide text on a terminal (bidi overrides and isolates, zero-width marks, separators).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]+/g;

/**
 * Server text made safe to print and store: every run of control characters or terminal
 * escapes becomes one space, so a message cannot move the cursor, recolour, clear the
 * screen, forge a new log line, or hide what it says. Replaced with a space rather than
 * removed, so two harmless halves cannot join into something else (a key, an escape).
 */
export function cleanServerText(text: string): string {
  return text.replace(UNSAFE, ' ');
}

/** Longer server strings are cut: signed URLs run to a few KB, nothing useful runs further. */
export const MAX_SERVER_STRING = 16 * 1024;

/**
 * {@link cleanServerText} applied to every string of a parsed answer, each cut to
 * {@link MAX_SERVER_STRING} characters so one answer cannot flood a report or a lock.
 */
export function cleanServerValue(value: unknown): unknown {
  return mapStrings(value, (s) =>
    cleanServerText(s.length > MAX_SERVER_STRING ? `${s.slice(0, MAX_SERVER_STRING)}…` : s),
  );
}

/**
 * Text that came from the network (or from an error about a call to it) made safe to print:
 * every occurrence of the key redacted (raw, JSON-escaped, URL-encoded, …: see
 * redact-secret.ts), then control characters neutralised.
 */
export function scrub(text: string, secret: string): string {
  return cleanServerText(redactSecret(text, secret));
}
