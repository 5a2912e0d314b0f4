import type { EchoKeyForm, FakeKinoviOptions } from './options.js';
import type { Reply } from '@pixlock/fake-http-kit';

// Stands for the key in the JSON text until the text is final, so the echo can be written
// in an encoding JSON.stringify would never produce (`\/`, a partial `\u00XX` mix).
const KEY_MARK = '@@FAKE_KINOVI_KEY@@';

/** What a hostile server appends to its text: clears the screen, recolours, forges a log line. */
export const HOSTILE_TEXT =
  '\u001b[2J\u001b[H\u001b[32mOK: all credits refunded\u001b[0m\r\nINFO forged log line\u0007\u202e';

/**
 * The key as it appears inside a JSON string literal in the chosen form: `raw`; `json-escaped`
 * (`/` as `\/`, every other non-alphanumeric as `\u00XX`); `url-encoded` (every
 * non-alphanumeric as `%XX`); `partial` (every other character as `\u00XX`); `base64` (of
 * `Bearer <key>`).
 */
export function echoKeyText(key: string, form: EchoKeyForm): string {
  const u = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  const alnum = (c: string) => /[A-Za-z0-9]/.test(c);
  switch (form) {
    case 'none':
      return '';
    case 'raw':
      return JSON.stringify(key).slice(1, -1);
    case 'json-escaped':
      return [...key].map((c) => (alnum(c) ? c : c === '/' ? '\\/' : u(c))).join('');
    case 'url-encoded':
      return [...key]
        .map((c) =>
          alnum(c) ? c : `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
        )
        .join('');
    case 'base64':
      return Buffer.from(`Bearer ${key}`).toString('base64');
    case 'partial':
      return [...key].map((c, i) => (i % 2 === 1 ? u(c) : JSON.stringify(c).slice(1, -1))).join('');
  }
}

/** The bearer token of an Authorization header, as the client sent it. */
export function bearerKey(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
}

/**
 * Makes an error answer hostile as the options ask: its `message` quotes the key (and gains
 * an `authorization` field that does), and carries terminal escapes. Success answers and
 * non-JSON answers are left alone.
 */
export function hostileReply(reply: Reply, o: FakeKinoviOptions, key: string | undefined): Reply {
  const json = reply.json;
  if (reply.status < 400 || typeof json !== 'object' || json === null || Array.isArray(json)) {
    return reply;
  }
  const body = { ...(json as Record<string, unknown>) };
  const message = typeof body.message === 'string' ? body.message : 'Error';
  let next = message;
  if (o.echoKey !== 'none' && key !== undefined) {
    next += ` (request had Authorization: Bearer ${KEY_MARK})`;
    body.authorization = `Bearer ${KEY_MARK}`;
  }
  if (o.hostileText) {
    next += HOSTILE_TEXT;
    if (Array.isArray(body.errors)) {
      body.errors = body.errors.map((e: unknown) =>
        typeof e === 'object' && e !== null ? { ...e, message: `bad${HOSTILE_TEXT}` } : e,
      );
    }
  }
  return next === message ? reply : { ...reply, json: { ...body, message: next } };
}

/** The final JSON text: key marks written in the echo form, big numeric ids left bare. */
export function rewriteJson(
  o: FakeKinoviOptions,
  key: string | undefined,
): ((text: string) => string) | undefined {
  if (o.echoKey === 'none' && !o.numericTaskIds) return undefined;
  const echo = key === undefined ? '' : echoKeyText(key, o.echoKey);
  return (text) => {
    let out = text.split(KEY_MARK).join(echo);
    if (o.numericTaskIds) out = out.replace(/"(taskId|task_id)":"(\d{16,})"/g, '"$1":$2');
    return out;
  };
}
