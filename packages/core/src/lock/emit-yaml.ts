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
import type { FieldOrder } from './lock-field-order.js';

/**
 * A small YAML emitter for the lockfile's JSON-like data: block style, keys in the order given,
 * strings quoted only when a plain scalar would read back as something else.
 */
export function emitYaml(value: Record<string, unknown>): string {
  const out: string[] = [];
  emitMap(value, 0, out, undefined);
  return out.join('\n') + '\n';
}

/**
 * The lines (joined, no final newline) of one `key: value` of a map at `indent`. With an
 * `order`, a map value (or each map of a list) has exactly those fields, in that order, and
 * its children theirs: the lock is written from its own objects, not from an ordered copy.
 */
export function emitYamlEntry(
  key: string,
  value: unknown,
  indent: number,
  order?: FieldOrder | null,
): string {
  const out: string[] = [];
  emitValue(key, value as Json, ' '.repeat(indent), indent, out, order ?? undefined);
  return out.join('\n');
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function emitMap(
  map: Record<string, unknown>,
  indent: number,
  out: string[],
  order: FieldOrder | undefined,
  firstPrefix?: string,
): void {
  const pad = ' '.repeat(indent);
  let first = true;
  const emit = (key: string, raw: unknown, child: FieldOrder | undefined) => {
    if (raw === undefined) return;
    const lead = first && firstPrefix !== undefined ? firstPrefix : pad;
    first = false;
    emitValue(key, raw as Json, lead, indent, out, child);
  };
  if (order) for (const [key, child] of order) emit(key, map[key], child ?? undefined);
  else for (const key of Object.keys(map)) emit(key, map[key], undefined);
}

function emitValue(
  key: string,
  value: Json,
  lead: string,
  indent: number,
  out: string[],
  order: FieldOrder | undefined,
): void {
  const k = scalar(key);
  if (isMapValue(value)) {
    if (isEmpty(value, order)) out.push(`${lead}${k}: {}`);
    else {
      out.push(`${lead}${k}:`);
      emitMap(value, indent + 2, out, order);
    }
  } else if (Array.isArray(value)) {
    if (value.length === 0) out.push(`${lead}${k}: []`);
    else {
      out.push(`${lead}${k}:`);
      emitSeq(value, indent + 2, out, order);
    }
  } else {
    out.push(`${lead}${k}: ${scalar(value)}`);
  }
}

function emitSeq(
  items: Json[],
  indent: number,
  out: string[],
  order: FieldOrder | undefined,
): void {
  const pad = ' '.repeat(indent);
  for (const item of items) {
    if (isMapValue(item) && !isEmpty(item, order))
      emitMap(item, indent + 2, out, order, `${pad}- `);
    else if (Array.isArray(item))
      throw new TypeError('emitYaml: nested sequences are not supported');
    else out.push(`${pad}- ${isMapValue(item) ? '{}' : scalar(item)}`);
  }
}

/** Written as `{}`: no key at all, or (with an order) none of the ordered fields set. */
function isEmpty(map: { [key: string]: Json }, order: FieldOrder | undefined): boolean {
  return order ? order.every(([key]) => map[key] === undefined) : Object.keys(map).length === 0;
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
