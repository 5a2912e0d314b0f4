/*
 * Why the lock has its own YAML writer and reader (the one place this is said).
 * Measured on a 10,000-image lock (6.7 MB) on the shared 2-core machine, median of 5:
 *   write: emitYaml 197 ms, js-yaml dump 831 ms, yaml stringify 1,576 ms
 *   read:  readEmittedYaml 134 ms, js-yaml load 314 ms, yaml parse 6,619 ms
 *   (and JSON.parse of the parsed-lock cache, the usual no-op read: 66 ms)
 * The lock is written once per run (lock journal) and read by every command, so both stay.
 * A lock that is not in the emitted subset (a hand edit) is read by js-yaml, which also gives
 * the line of a syntax error; the `yaml` package is for the manifest, not the lock.
 */

/**
 * A small YAML emitter for the lockfile's JSON-like data: block style, keys in the order given,
 * strings quoted only when a plain scalar would read back as something else.
 */
export function emitYaml(value: Record<string, unknown>): string {
  const out: string[] = [];
  emitMap(value, 0, out);
  return out.join('\n') + '\n';
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function emitMap(
  map: Record<string, unknown>,
  indent: number,
  out: string[],
  firstPrefix?: string,
): void {
  const pad = ' '.repeat(indent);
  let first = true;
  for (const [key, raw] of Object.entries(map)) {
    if (raw === undefined) continue;
    const value = raw as Json;
    const lead = first && firstPrefix !== undefined ? firstPrefix : pad;
    first = false;
    const k = scalar(key);
    if (isMapValue(value)) {
      if (Object.keys(value).length === 0) out.push(`${lead}${k}: {}`);
      else {
        out.push(`${lead}${k}:`);
        emitMap(value, indent + 2, out);
      }
    } else if (Array.isArray(value)) {
      if (value.length === 0) out.push(`${lead}${k}: []`);
      else {
        out.push(`${lead}${k}:`);
        emitSeq(value, indent + 2, out);
      }
    } else {
      out.push(`${lead}${k}: ${scalar(value)}`);
    }
  }
}

function emitSeq(items: Json[], indent: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  for (const item of items) {
    if (isMapValue(item) && Object.keys(item).length > 0)
      emitMap(item, indent + 2, out, `${pad}- `);
    else if (Array.isArray(item))
      throw new TypeError('emitYaml: nested sequences are not supported');
    else out.push(`${pad}- ${isMapValue(item) ? '{}' : scalar(item)}`);
  }
}

function isMapValue(v: Json): v is { [key: string]: Json } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Strings written without quotes match this, and neither of the two below. */
export const PLAIN = /^[A-Za-z0-9_][A-Za-z0-9_./+-]*(:[A-Za-z0-9_./+-]+)*$/;
export const RESERVED = /^(true|false|null|yes|no|on|off|y|n|~)$/i;
// What a YAML 1.2 core-schema reader would take for a number (hex hashes can look like 12e34).
export const NUMBERISH =
  /^[-+]?(0b[01_]+|0o[0-7_]+|0x[0-9a-f_]+|[0-9][0-9_]*(\.[0-9_]*)?(e[-+]?[0-9]+)?|\.[0-9]+(e[-+]?[0-9]+)?|\.(inf|nan))$/i;

function scalar(v: Json): string {
  if (v === null) return 'null';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TypeError(`emitYaml: cannot write ${v}`);
    return String(v);
  }
  if (typeof v === 'boolean') return String(v);
  if (typeof v !== 'string') throw new TypeError('emitYaml: unexpected value');
  // A JSON string literal is a valid YAML double-quoted scalar.
  return PLAIN.test(v) && !RESERVED.test(v) && !NUMBERISH.test(v) ? v : JSON.stringify(v);
}
