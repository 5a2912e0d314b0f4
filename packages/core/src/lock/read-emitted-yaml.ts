import { NUMBERISH, PLAIN, RESERVED } from './emit-yaml.js';

/**
 * Reads back exactly the YAML subset {@link emitYaml} writes (block maps and sequences of maps,
 * two-space indents, plain or JSON-quoted scalars) several times faster than a general YAML
 * parser. Returns undefined at the first line outside that subset (a hand-edited lock, say):
 * the caller then falls back to the general parser, so nothing valid is ever refused.
 *
 * It works on offsets into the text rather than on split lines: a 10,000-image lock has some
 * 270,000 lines, and not copying each one is most of the speed.
 */
export function readEmittedYaml(text: string): Record<string, unknown> | undefined {
  // Where each line's content starts (after its indent) and ends; blank and comment lines
  // are left out. The indent is counted once: the parse asks for it several times a line.
  const starts: number[] = [];
  const ends: number[] = [];
  const indents: number[] = [];
  for (let pos = 0; pos < text.length;) {
    let end = text.indexOf('\n', pos);
    if (end === -1) end = text.length;
    if (end > pos && text.charCodeAt(pos) !== HASH) {
      let content = pos;
      while (text.charCodeAt(content) === SPACE) content++;
      // A tab, a carriage return or another control character where content should start:
      // not something emitYaml writes, so leave it to the full parser.
      if (content < end && text.charCodeAt(content) <= SPACE) return undefined;
      starts.push(content);
      ends.push(end);
      indents.push(content - pos);
    }
    pos = end + 1;
  }
  const count = starts.length;
  let i = 0;
  const fail = Symbol('fail');

  const isItem = (n: number) => text.startsWith('- ', starts[n]);

  function scalar(from: number, to: number): unknown {
    const raw = text.slice(from, to);
    if (raw.startsWith('"')) return JSON.parse(raw);
    if (raw === 'null' || raw === '~') return null;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    if (raw === '{}') return {};
    if (raw === '[]') return [];
    if (NUMBER.test(raw)) return Number(raw);
    // Exactly the strings emitYaml writes unquoted; anything else a YAML reader might take
    // differently (12e34 is a number to it, yes may be a boolean) goes to the full parser.
    if (PLAIN.test(raw) && !NUMBERISH.test(raw) && !RESERVED.test(raw)) return raw;
    throw fail;
  }

  // One "key: value" (or "key:") from `from` to the line's end; quoted keys are JSON strings.
  // Sets `key`, and `valueAt` to where the value starts (the line's end when there is none).
  let key = '';
  let valueAt = 0;
  function keyValue(from: number, end: number): void {
    let colon: number;
    if (text.charCodeAt(from) === QUOTE) {
      QUOTED.lastIndex = from;
      const m = QUOTED.exec(text);
      if (!m) throw fail;
      key = JSON.parse(m[0]) as string;
      colon = from + m[0].length;
      if (text.charCodeAt(colon) !== COLON) throw fail;
    } else {
      colon = text.indexOf(':', from);
      if (colon <= from || colon >= end) throw fail;
      key = text.slice(from, colon);
      if (!PLAIN_KEY.test(key)) throw fail;
    }
    if (colon + 1 === end) valueAt = end;
    else if (text.charCodeAt(colon + 1) === SPACE && colon + 2 < end) valueAt = colon + 2;
    else throw fail;
  }

  function block(indent: number): unknown {
    if (i >= count || indents[i] !== indent) throw fail;
    return isItem(i) ? seq(indent) : map(indent, {});
  }

  function value(end: number, nested: number): unknown {
    return valueAt === end ? block(nested) : scalar(valueAt, end);
  }

  function map(indent: number, into: Record<string, unknown>): Record<string, unknown> {
    while (i < count && indents[i] === indent && !isItem(i)) {
      const end = ends[i]!;
      keyValue(starts[i++]!, end);
      into[key] = value(end, indent + 2);
    }
    return into;
  }

  function seq(indent: number): unknown[] {
    const items: unknown[] = [];
    while (i < count && indents[i] === indent && isItem(i)) {
      const from = starts[i]! + 2;
      const end = ends[i]!;
      ITEM_KEY.lastIndex = from;
      if (!ITEM_KEY.test(text)) {
        items.push(scalar(from, end));
        i++;
        continue;
      }
      // "- key: value" opens a map whose other keys sit two columns further in.
      keyValue(from, end);
      i++;
      const item: Record<string, unknown> = { [key]: value(end, indent + 4) };
      items.push(map(indent + 2, item));
    }
    return items;
  }

  try {
    const root = map(0, {});
    return i === count ? root : undefined;
  } catch (error) {
    if (error === fail || error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/** A number as String(n) writes it (what emitYaml writes for numbers). */
const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?(e[-+][0-9]+)?$/;
/** An unquoted key up to its colon. */
const PLAIN_KEY = /^[A-Za-z0-9_][A-Za-z0-9_./+-]*$/;
const SPACE = 32;
const HASH = 35;
const QUOTE = 34;
const COLON = 58;
/** A JSON-quoted key, matched where the scan stands (sticky). */
const QUOTED = /"(?:[^"\\\n]|\\.)*"/y;
/** A sequence item that starts with "key:" (so opens a map), matched where the scan stands. */
const ITEM_KEY = /(?:"(?:[^"\\\n]|\\.)*"|[A-Za-z0-9_][^:"\n]*):(?: |$)/my;
