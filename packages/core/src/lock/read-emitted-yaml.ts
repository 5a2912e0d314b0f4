/**
 * Reads back exactly the YAML subset {@link emitYaml} writes (block maps and sequences of maps,
 * two-space indents, plain or JSON-quoted scalars) several times faster than a general YAML
 * parser. Returns undefined at the first line outside that subset (a hand-edited lock, say):
 * the caller then falls back to the general parser, so nothing valid is ever refused.
 */
export function readEmittedYaml(text: string): Record<string, unknown> | undefined {
  const lines = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  let i = 0;
  const fail = Symbol('fail');

  const indentOf = (line: string) => line.length - line.trimStart().length;

  function scalar(raw: string): unknown {
    if (raw.startsWith('"')) return JSON.parse(raw);
    if (raw === 'null' || raw === '~') return null;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    if (raw === '{}') return {};
    if (raw === '[]') return [];
    if (/^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(raw)) return Number(raw);
    if (/^[A-Za-z0-9_][A-Za-z0-9_./+-]*(:[A-Za-z0-9_./+-]+)*$/.test(raw)) return raw;
    throw fail;
  }

  // One "key: value" (or "key:") after the indent; quoted keys are JSON strings.
  function keyValue(rest: string): [string, string] {
    let key: string;
    let after: string;
    if (rest.startsWith('"')) {
      const m = /^"(?:[^"\\]|\\.)*"/.exec(rest);
      if (!m) throw fail;
      key = JSON.parse(m[0]) as string;
      after = rest.slice(m[0].length);
    } else {
      const colon = rest.indexOf(':');
      if (colon <= 0) throw fail;
      key = rest.slice(0, colon);
      after = rest.slice(colon);
    }
    if (after === ':') return [key, ''];
    if (!after.startsWith(': ')) throw fail;
    return [key, after.slice(2)];
  }

  function block(indent: number): unknown {
    const line = lines[i];
    if (line === undefined || indentOf(line) !== indent) throw fail;
    return line.startsWith('- ', indent) ? seq(indent) : map(indent, {});
  }

  function map(indent: number, into: Record<string, unknown>): Record<string, unknown> {
    while (
      i < lines.length &&
      indentOf(lines[i]!) === indent &&
      !lines[i]!.startsWith('- ', indent)
    ) {
      const [key, raw] = keyValue(lines[i++]!.slice(indent));
      into[key] = raw === '' ? block(indent + 2) : scalar(raw);
    }
    return into;
  }

  function seq(indent: number): unknown[] {
    const items: unknown[] = [];
    while (
      i < lines.length &&
      indentOf(lines[i]!) === indent &&
      lines[i]!.startsWith('- ', indent)
    ) {
      const rest = lines[i]!.slice(indent + 2);
      if (!/^("(?:[^"\\]|\\.)*"|[A-Za-z0-9_][^:"]*):( |$)/.test(rest)) {
        items.push(scalar(rest));
        i++;
        continue;
      }
      // "- key: value" opens a map whose other keys sit two columns further in.
      const [key, raw] = keyValue(rest);
      i++;
      const item: Record<string, unknown> = { [key]: raw === '' ? block(indent + 4) : scalar(raw) };
      items.push(map(indent + 2, item));
    }
    return items;
  }

  try {
    const root = map(0, {});
    return i === lines.length ? root : undefined;
  } catch (error) {
    if (error === fail || error instanceof SyntaxError) return undefined;
    throw error;
  }
}
