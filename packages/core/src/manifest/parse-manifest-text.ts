import jsYaml from 'js-yaml';
import type { z } from 'zod';
import type { Diagnostic } from '../errors.js';
import { checkImageId } from '../image-id.js';
import { describeIssue } from './describe-issue.js';
import { schemaKeysAt } from './schema-keys.js';
import { YamlLocator } from './yaml-locator.js';

/** The outcome of parsing one manifest file: a value, or every problem found in it. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; diagnostics: Diagnostic[] };

/**
 * Parses and validates a YAML manifest text against `schema`. Pure: the caller reads the file.
 *
 * Valid files take the fast path (js-yaml, no positions). Only when something is wrong is the
 * text parsed again with positions, so every problem is reported with its line and column,
 * all at once.
 */
export function parseManifestText<T>(
  text: string,
  file: string,
  schema: z.ZodType<T>,
): ParseResult<T> {
  let data: unknown;
  let fastFailed = false;
  try {
    data = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, filename: file });
  } catch {
    fastFailed = true;
  }
  if (!fastFailed) {
    const result = schema.safeParse(data ?? {});
    if (result.success && idProblems(data).length === 0) return { ok: true, value: result.data };
  }
  return slowPath(text, file, schema);
}

function slowPath<T>(text: string, file: string, schema: z.ZodType<T>): ParseResult<T> {
  const locator = new YamlLocator(text);
  const diagnostics: Diagnostic[] = [];
  for (const error of [...locator.doc.errors]) {
    const { line, column } = locator.at(error.pos[0]);
    const first = error.message.split('\n')[0] ?? error.message;
    const message =
      error.code === 'DUPLICATE_KEY'
        ? `${first} (a key, such as an image id, appears twice)`
        : first;
    diagnostics.push({ file, path: [], line, column, message: `YAML syntax error: ${message}` });
  }
  if (diagnostics.length > 0) return { ok: false, diagnostics };

  const data: unknown = locator.doc.toJS() ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    return fail(file, [], 1, 1, 'a manifest must be a YAML mapping (key: value lines)');
  }
  for (const { id, problem } of idProblems(data)) {
    const { line, column } = locator.locate(['images', id], true);
    diagnostics.push({ file, path: ['images', id], line, column, message: problem });
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const valueAt = (path: readonly PropertyKey[]) => getIn(data, path);
    const keysAt = (path: readonly PropertyKey[]) => schemaKeysAt(schema, path);
    for (const issue of result.error.issues) {
      for (const d of describeIssue(issue, valueAt, keysAt)) {
        const { line, column } = locator.locate(d.locateAt ?? d.path, d.atKey);
        diagnostics.push({ file, path: d.path, line, column, message: d.message });
      }
    }
  }
  if (diagnostics.length === 0) {
    // js-yaml refused what the position-keeping parser accepted: trust the stricter one's value.
    return result.success ? { ok: true, value: result.data } : { ok: false, diagnostics };
  }
  diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  return { ok: false, diagnostics };
}

function idProblems(data: unknown): { id: string; problem: string }[] {
  const images = (data as { images?: unknown } | null)?.images;
  if (!images || typeof images !== 'object' || Array.isArray(images)) return [];
  const out: { id: string; problem: string }[] = [];
  for (const id of Object.keys(images)) {
    const problem = checkImageId(id);
    if (problem) out.push({ id, problem });
  }
  return out;
}

function getIn(data: unknown, path: readonly PropertyKey[]): unknown {
  let node = data;
  for (const seg of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[seg];
  }
  return node;
}

function fail<T>(
  file: string,
  path: (string | number)[],
  line: number,
  column: number,
  message: string,
): ParseResult<T> {
  return { ok: false, diagnostics: [{ file, path, line, column, message }] };
}
