/** What every redacted occurrence of the key becomes. */
export const REDACTED = '[redacted]';

// One pattern per key, built once: a run redacts every answer with the same key.
let cached: { secret: string; pattern: RegExp } | undefined;

/**
 * Replaces every occurrence of `secret` in `text`, in whatever encoding a server may echo it:
 * raw, JSON- or JS-escaped (`sk\/KEY`, `\u0073k`), URL-encoded (`%2F`), as HTML entities
 * (`&#47;`), or any mix of those, one character at a time (a partly escaped echo); and
 * base64 or base64url encoded, at any alignment (an echoed header or `user:key` pair).
 */
export function redactSecret(text: string, secret: string): string {
  if (!secret) return text;
  if (cached?.secret !== secret) cached = { secret, pattern: secretPattern(secret) };
  cached.pattern.lastIndex = 0;
  return text.replace(cached.pattern, REDACTED);
}

/**
 * Every string in a parsed JSON value (object keys too) with the secret redacted. Parsing
 * decodes escapes, so an echo that was escaped in the text is plain here.
 */
export function redactDeep(value: unknown, secret: string): unknown {
  return mapStrings(value, (s) => redactSecret(s, secret));
}

/** `value` with `fn` applied to every string in it, keys included; other values as they are. */
export function mapStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // defineProperty, so a key named __proto__ stays data and cannot change the prototype.
      Object.defineProperty(out, fn(k), {
        value: mapStrings(v, fn),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

function secretPattern(secret: string): RegExp {
  const parts = [...secret].map((char) => `(?:${charForms(char).join('|')})`);
  return new RegExp([parts.join(''), ...base64Cores(secret).map(literal)].join('|'), 'g');
}

/**
 * The part of the key's base64 (and base64url) that is the same wherever the key sits in the
 * encoded text, for each of the three byte alignments: a server may echo a header or a
 * `user:key` pair base64-encoded. Left out for short keys, whose cores would be too short
 * to tell apart from other text.
 */
function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  if (bytes.length < 8) return [];
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    // Characters wholly made of the key's bits: from bit 8·offset to bit 8·(offset + n).
    const core = encoded.slice(
      Math.ceil((8 * offset) / 6),
      Math.floor((8 * (offset + bytes.length)) / 6),
    );
    cores.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...new Set(cores)];
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
/** `2f` → `[2][fF]`: escapes are matched whatever the case of their hex digits. */
const anyCase = (text: string): string =>
  [...text].map((c) => (/[a-f]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c)).join('');
const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

const HTML_NAMED: Record<string, string> = {
  '&': 'amp',
  '<': 'lt',
  '>': 'gt',
  '"': 'quot',
  "'": 'apos',
  '/': 'sol',
};

/** Regex alternatives for every way one character of the key may be written. */
function charForms(char: string): string[] {
  const cp = char.codePointAt(0) as number;
  const units = [...Array(char.length).keys()].map((i) => char.charCodeAt(i));
  const utf8 = [...Buffer.from(char, 'utf8')];
  const forms = [
    literal(char),
    // JSON and JS: \uXXXX (a surrogate pair for astral characters), \xHH, and \/ style.
    units.map((u) => `\\\\u${anyCase(hex(u, 4))}`).join(''),
    `\\\\${literal(char)}`,
    // URL encoding of each UTF-8 byte; a form-encoded space.
    utf8.map((b) => `%${anyCase(hex(b, 2))}`).join(''),
    // HTML numeric and named entities.
    `&#0*${cp};`,
    `&#[xX]0*${anyCase(hex(cp, 1))};`,
  ];
  if (cp < 0x100) forms.push(`\\\\x${anyCase(hex(cp, 2))}`);
  if (char === ' ') forms.push('\\+');
  const named = HTML_NAMED[char];
  if (named) forms.push(`&${named};`);
  return forms;
}
