import type { z } from 'zod';

/** Reads the value being validated at a path (for a union: which option it is). */
export type ValueAt = (path: readonly PropertyKey[]) => unknown;

/**
 * The keys an object schema allows at `path`, found by walking the schema. Used only to
 * suggest a near name for an unknown key, so any shape it does not understand gives []. A
 * discriminated union (the manifest's `provider`) is walked into the option the value names.
 */
export function schemaKeysAt(
  schema: z.ZodType,
  path: readonly PropertyKey[],
  valueAt: ValueAt = () => undefined,
): string[] {
  const def = defOf(nodeAt(schema, path, valueAt));
  return def?.type === 'object' ? Object.keys(def.shape as object) : [];
}

/**
 * Where `key`, unknown at `path`, would be allowed: at a discriminated union (`provider`),
 * the other options that take it, by their discriminator value, and the option the value
 * names. Undefined when `path` is not such a union or no other option takes the key.
 */
export function keyOwners(
  schema: z.ZodType,
  path: readonly PropertyKey[],
  key: string,
  valueAt: ValueAt,
): { discriminator: string; current: string; owners: string[] } | undefined {
  const union = defOf(nodeAt(schema, path, valueAt, false));
  if (union?.type !== 'union' || typeof union.discriminator !== 'string') return undefined;
  const discriminator = union.discriminator;
  const owners: string[] = [];
  for (const option of union.options as unknown[]) {
    const shape = defOf(unwrap(option))?.shape as Record<string, unknown> | undefined;
    const value = literalOf(shape?.[discriminator]);
    if (shape && key in shape && value !== undefined) owners.push(value);
  }
  const current = String(valueAt([...path, discriminator]));
  return owners.length > 0 ? { discriminator, current, owners } : undefined;
}

interface Def {
  type: string;
  [key: string]: unknown;
}

/** The schema node at `path`; with `pick`, a union at the end is resolved to its option too. */
function nodeAt(
  schema: z.ZodType,
  path: readonly PropertyKey[],
  valueAt: ValueAt,
  pick = true,
): unknown {
  let node: unknown = schema;
  for (let i = 0; i <= path.length; i++) {
    node = unwrap(node);
    if (i === path.length && !pick) return node;
    node = unwrap(option(node, path.slice(0, i), valueAt));
    if (i === path.length) return node;
    const def = defOf(node);
    const seg = path[i]!;
    if (def?.type === 'object') node = (def.shape as Record<string, unknown>)[String(seg)];
    else if (def?.type === 'record') node = def.valueType;
    else if (def?.type === 'array') node = def.element;
    else return undefined;
  }
  return node;
}

/** A discriminated union's option the value at `at` names; any other node as it is. */
function option(node: unknown, at: readonly PropertyKey[], valueAt: ValueAt): unknown {
  const def = defOf(node);
  if (def?.type !== 'union' || typeof def.discriminator !== 'string') return node;
  const wanted = valueAt([...at, def.discriminator]);
  return (def.options as unknown[]).find((o) => {
    const shape = defOf(unwrap(o))?.shape as Record<string, unknown> | undefined;
    return literalOf(shape?.[def.discriminator as string]) === wanted;
  });
}

function literalOf(node: unknown): string | undefined {
  const def = defOf(unwrap(node));
  const values = def?.type === 'literal' ? (def.values as unknown[]) : undefined;
  return values?.length === 1 && typeof values[0] === 'string' ? values[0] : undefined;
}

function defOf(node: unknown): Def | undefined {
  return (node as { _zod?: { def?: Def } } | undefined)?._zod?.def;
}

function unwrap(node: unknown): unknown {
  let def = defOf(node);
  while (def && (def.type === 'optional' || def.type === 'default' || def.type === 'nullable')) {
    node = def.innerType;
    def = defOf(node);
  }
  return node;
}
