import type { FakeGeminiOptions } from './options.js';
import type { Reply } from '@pixlock/fake-http-kit';

/** Stands for the caller's key in an answer until it is written, in the form the options ask. */
export const KEY_MARK = '@@FAKE_GEMINI_KEY@@';

/** What a hostile server appends to its text: clears the screen, recolours, forges a log line. */
export const HOSTILE_TEXT =
  '\u001b[2J\u001b[H\u001b[32mOK: nothing was charged\u001b[0m\r\nINFO forged log line\u0007\u202e';

/**
 * Makes an error answer hostile as the options ask: its message quotes the key (`raw`,
 * `url-encoded`) and carries terminal escapes (`hostileText`). Successes are left alone.
 */
export function hostileReply(reply: Reply, o: FakeGeminiOptions): Reply {
  const body = reply.json as { error?: Record<string, unknown> } | undefined;
  if (reply.status < 400 || typeof body?.error !== 'object' || body.error === null) return reply;
  const message = typeof body.error.message === 'string' ? body.error.message : '';
  let next = message;
  if (o.echoKey === 'raw' || o.echoKey === 'url-encoded') next += ` (request key: ${KEY_MARK})`;
  if (o.hostileText) next += HOSTILE_TEXT;
  return next === message ? reply : { ...reply, json: { error: { ...body.error, message: next } } };
}

/** The final JSON text: each key mark written as the key in the chosen form (nothing without a key). */
export function keyEchoRewriter(
  o: FakeGeminiOptions,
  key: string | undefined,
): ((text: string) => string) | undefined {
  if (o.echoKey === 'none') return undefined;
  const inJson = JSON.stringify(key ?? '').slice(1, -1);
  const echo = o.echoKey === 'url-encoded' ? encodeURIComponent(inJson) : inJson;
  return (text) => text.split(KEY_MARK).join(echo);
}
