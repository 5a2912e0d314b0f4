import { z } from 'zod';
import { IMAGE_ID_PATTERN } from '../image-id.js';
import { includedManifestSchema, manifestSchema } from './schema.js';

type Schema = Record<string, unknown>;

/** Keys only the main manifest has; `version` and `provider` it must have. */
const MAIN_ONLY = ['provider', 'outDir', 'concurrency', 'budget', 'include', 'store', 'defaults'];

/**
 * The JSON Schema editors and validators use for pixlock.yaml (and included files), generated
 * from the same zod schema that validates at run time.
 *
 * Written so that common tools take it as it is: draft-07 (what ajv-cli, yaml-language-server
 * and most editors assume without being told), and no `format` (ajv refuses a schema naming a
 * format it was not given a plugin for; pixlock checks URLs itself when it loads a manifest).
 * One object schema serves both forms of file, not an `anyOf` (or `if`) of the two: a
 * validator then reports each problem once, with no "must match a schema in anyOf" beside it.
 * An included file (images, perhaps `version`) is a main manifest without the main-only keys:
 * any of those makes `version` and `provider` required (`dependencies`), and a file with
 * neither `provider` nor `images` is neither form.
 */
export function manifestJsonSchema(): Schema {
  const options = { io: 'input', unrepresentable: 'any', target: 'draft-7' } as const;
  const main = z.toJSONSchema(manifestSchema, options) as Schema;
  const included = z.toJSONSchema(includedManifestSchema, options) as Schema;
  const properties = main.properties as Record<string, Schema>;
  // What the two forms share is the same schema (bar descriptions): kept once, checked here
  // so that they cannot drift apart unseen.
  const bare = (v: unknown) =>
    JSON.stringify(v, (k, x: unknown) => (k === 'description' ? undefined : x));
  for (const [key, value] of Object.entries(included.properties as Record<string, Schema>)) {
    if (bare(value) !== bare(properties[key]))
      throw new Error(`the included form's "${key}" differs from the main manifest's`);
  }
  properties.images!.propertyNames = { pattern: IMAGE_ID_PATTERN };
  const required = MAIN_ONLY.map((key) => [key, ['version', 'provider'].filter((k) => k !== key)]);
  const { $schema: _, required: __, ...rest } = main;
  return withoutFormats({
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://pixlock.dev/schema/pixlock.schema.json',
    title: 'pixlock manifest',
    description:
      'Images as code: the images a project needs, how they are generated and post-processed.',
    ...rest,
    dependencies: Object.fromEntries(required),
    anyOf: [{ required: ['provider'] }, { required: ['images'] }],
  }) as Schema;
}

/**
 * The schema without `format` keywords. (A property called `format`, the output format, has a
 * schema for its value, never a string, and stays.)
 */
function withoutFormats(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutFormats);
  if (value === null || typeof value !== 'object') return value;
  const out: Schema = {};
  for (const [key, v] of Object.entries(value))
    if (!(key === 'format' && typeof v === 'string')) out[key] = withoutFormats(v);
  return out;
}
