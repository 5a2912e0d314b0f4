import jsYaml from 'js-yaml';
import type { Position } from '../util/yaml-locator.js';

/** Deepest nesting a manifest may have; a real one needs six levels. Bounds the parser's stack. */
export const MAX_YAML_DEPTH = 64;

/**
 * Most values the document may hold once aliases are expanded: its length plus 100,000. An
 * alias may repeat a block (defaults shared by many images), never multiply the document the
 * way an alias bomb ("billion laughs") does; everything after parsing walks the expanded value.
 */
export function expansionLimit(text: string): number {
  return text.length + 100_000;
}

/** Options every manifest parse uses: YAML 1.2 core types, bounded depth. */
export const YAML_OPTIONS = { schema: jsYaml.CORE_SCHEMA, maxDepth: MAX_YAML_DEPTH } as const;

/** Where the keys and values of one mapping or sequence are written (offsets). */
type Children = Map<string, { key?: number; value?: number }>;

/** A document parsed with the offset of every key and value, for pointing at problems. */
export interface PositionedYaml {
  data: unknown;
  /** Offset of the first alias past the expansion limit, when there is one. */
  aliasOverflowAt?: number;
  /** Position of the value at `path` (of its key when `key`); the nearest parent when missing. */
  locate(path: readonly (string | number)[], key?: boolean): Position;
  /** Position of an offset. */
  at(offset: number): Position;
}

interface Frame {
  depth: number;
  open: number;
  children: { start: number; end: number; result: unknown; isKey: boolean }[];
}

/**
 * Parses with js-yaml and records positions through its node listener: one linear pass, no
 * second parser. A node's children arrive in order; a child followed by ":" on its line is a
 * key, and the next child before another key is its value. Throws js-yaml's YAMLException
 * (which carries a line and column) on a syntax error.
 */
export function parseWithPositions(text: string): PositionedYaml {
  const infos = new WeakMap<object, Children>();
  const sizes = new WeakMap<object, number>();
  const limit = expansionLimit(text);
  const stack: Frame[] = [{ depth: 0, open: 0, children: [] }];
  let rootStart = 0;
  let expanded = 0;
  let aliasOverflowAt: number | undefined;

  const listener = (event: 'open' | 'close', state: jsYaml.State & { depth: number }) => {
    if (event === 'open') {
      stack.push({ depth: state.depth, open: state.position, children: [] });
      return;
    }
    while (stack.length > 1 && stack[stack.length - 1]!.depth > state.depth) stack.pop();
    const frame = stack.pop()!;
    const end = state.position;
    let start = skipSpace(text, frame.open);
    if (start >= end) start = frame.open;
    const result: unknown = state.result;
    if (text.charCodeAt(start) === 0x2a /* * */ && result !== null && typeof result === 'object') {
      expanded += expandedSize(result, sizes);
      if (expanded > limit && aliasOverflowAt === undefined) aliasOverflowAt = start;
    }
    if (result !== null && typeof result === 'object' && !infos.has(result)) {
      infos.set(result, childrenOf(result, frame.children));
    }
    const parent = stack[stack.length - 1]!;
    parent.children.push({ start, end, result, isKey: isFollowedByColon(text, end) });
    if (stack.length === 1) rootStart = start;
  };

  const data = jsYaml.load(text, { ...YAML_OPTIONS, listener: listener as never });
  const lineStarts = lineStartsOf(text);
  const at = (offset: number): Position => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  };
  const locate = (path: readonly (string | number)[], key = false): Position => {
    let node: unknown = data;
    let best = rootStart;
    for (let i = 0; i < path.length; i++) {
      if (node === null || typeof node !== 'object') break;
      const child = infos.get(node)?.get(String(path[i]));
      if (!child) break;
      if (i === path.length - 1 && key && child.key !== undefined) return at(child.key);
      best = child.value ?? child.key ?? best;
      node = (node as Record<string, unknown>)[String(path[i])];
    }
    return at(best);
  };
  return { data, ...(aliasOverflowAt !== undefined && { aliasOverflowAt }), locate, at };
}

function childrenOf(result: object, children: Frame['children']): Children {
  const out: Children = new Map();
  if (Array.isArray(result)) {
    children.forEach((c, i) => out.set(String(i), { value: c.start }));
    return out;
  }
  let current: { key?: number; value?: number } | undefined;
  for (const c of children) {
    if (c.isKey && (typeof c.result === 'string' || typeof c.result === 'number')) {
      current = { key: c.start };
      out.set(String(c.result), current);
    } else if (current && current.value === undefined) {
      current.value = c.start;
    }
  }
  return out;
}

/** How many values `data` holds with every alias expanded; linear in the distinct values. */
export function expandedSizeOf(data: unknown): number {
  return data !== null && typeof data === 'object' ? expandedSize(data, new WeakMap()) : 1;
}

function expandedSize(value: object, sizes: WeakMap<object, number>): number {
  const known = sizes.get(value);
  if (known !== undefined) return known;
  let n = 1;
  for (const v of Object.values(value)) {
    n += v !== null && typeof v === 'object' ? expandedSize(v as object, sizes) : 1;
  }
  sizes.set(value, n);
  return n;
}

/** Skips spaces, line breaks and comments. */
function skipSpace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
    else if (c === 0x23 /* # */) while (i < text.length && text.charCodeAt(i) !== 0x0a) i++;
    else return i;
  }
}

function isFollowedByColon(text: string, i: number): boolean {
  let c = text.charCodeAt(i);
  while (c === 0x20 || c === 0x09) c = text.charCodeAt(++i);
  return c === 0x3a;
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
