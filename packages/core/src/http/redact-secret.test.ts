import { describe, expect, it } from 'vitest';
import { parseAnswer } from './parse-answer.js';
import { redactDeep, redactSecret } from './redact-secret.js';
import { cleanServerText, MAX_SERVER_STRING } from './server-text.js';

const KEY = 'sk-live/A+b_9&z';

describe('redactSecret', () => {
  it.each([
    ['raw', KEY],
    ['JSON-escaped slash', 'sk-live\\/A+b_9&z'],
    ['\\u escapes, either case', 'sk\\u002Dlive\\u002fA\\u002Bb_9\\u0026z'],
    ['\\x escapes', 'sk\\x2dlive\\x2FA+b_9&z'],
    ['URL-encoded', 'sk%2Dlive%2FA%2Bb%5F9%26z'],
    ['URL-encoded, lower case', 'sk-live%2fA%2bb_9%26z'],
    ['HTML entities', 'sk&#45;live&#x2F;A&#43;b_9&amp;z'],
    ['partly escaped', 's\\u006b-l%69ve/A+b\\u005f9&z'],
  ])('finds the key %s', (_form, echo) => {
    expect(redactSecret(`before ${echo} after`, KEY)).toBe('before [redacted] after');
  });

  it.each(['', 'Bearer ', 'user:', 'ab'])('finds the key base64-encoded after %j', (prefix) => {
    const long = 'sk-live-0123456789abcdef/+?';
    for (const encoding of ['base64', 'base64url'] as const) {
      const echo = Buffer.from(`${prefix}${long}`).toString(encoding);
      const out = redactSecret(`auth=${echo};`, long);
      expect(out).toContain('[redacted]');
      // Left: the prefix's own characters and at most two boundary characters each side.
      const left = out.replace('[redacted]', '').length - 'auth=;'.length;
      expect(left).toBeLessThanOrEqual(Math.ceil((prefix.length * 4) / 3) + 4);
    }
  });

  it('leaves text without the key alone, and a near miss too', () => {
    expect(redactSecret('sk-live/A+b_9&Z', KEY)).toBe('sk-live/A+b_9&Z');
    expect(redactSecret('nothing here', KEY)).toBe('nothing here');
    expect(redactSecret('anything', '')).toBe('anything');
  });

  it('redacts keys and values of a parsed answer, without touching its prototype', () => {
    const parsed = JSON.parse(`{"${KEY}":["x ${KEY}"],"__proto__":{"polluted":1}}`) as unknown;
    const out = redactDeep(parsed, KEY) as Record<string, unknown>;
    expect(out).toEqual({ '[redacted]': ['x [redacted]'], ['__proto__']: { polluted: 1 } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('parseAnswer', () => {
  it('keeps integers past 2^53 as digits, other numbers as numbers', () => {
    expect(parseAnswer('{"taskId":12345678901234567890123,"n":1.5,"c":1e400}', KEY)).toEqual({
      taskId: '12345678901234567890123',
      n: 1.5,
      c: Infinity,
    });
  });

  it('is undefined for what is not JSON, {} for nothing', () => {
    expect(parseAnswer('<html>', KEY)).toBeUndefined();
    expect(parseAnswer('{"a":1,"a":2}', KEY)).toBeUndefined();
    expect(parseAnswer('  ', KEY)).toEqual({});
  });
});

describe('cleanServerText', () => {
  it('turns escapes, CR/LF, BEL and bidi overrides into spaces, never joining halves', () => {
    expect(cleanServerText('a\u001b[31mred\r\nINFO x\u0007\u202eevil')).toBe(
      'a [31mred INFO x evil',
    );
    expect(cleanServerText('sk-\u0000key')).toBe('sk- key');
  });

  it('cuts an endless server string', () => {
    const answer = parseAnswer(JSON.stringify({ message: 'x'.repeat(100_000) }), KEY);
    expect((answer as { message: string }).message).toHaveLength(MAX_SERVER_STRING + 1);
  });
});
