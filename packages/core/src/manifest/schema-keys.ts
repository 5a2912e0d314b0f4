import type { z } from 'zod';

/**
 * The keys an object schema allows at `path`, found by walking the schema. Used only to
 * suggest a near name for an unknown key, so any shape it does not understand gives [].
 */
export function schemaKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: unknown = schema;
  for (const seg of path) {
    node = unwrap(node);
    const def = defOf(node);
    if (def?.type === 'object') node = (def.shape as Record<string, unknown>)[String(seg)];
    else if (def?.type === 'record') node = def.valueType;
    else if (def?.type === 'array') node = def.element;
    else return [];
  }
  const def = defOf(unwrap(node));
  return def?.type === 'object' ? Object.keys(def.shape as object) : [];
}

interface Def {
  type: string;
  [key: string]: unknown;
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
