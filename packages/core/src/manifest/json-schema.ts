import { z } from 'zod';
import { IMAGE_ID_PATTERN } from '../image-id.js';
import { includedManifestSchema, manifestSchema } from './schema.js';

/**
 * The JSON Schema editors use for pixlock.yaml (and included files), generated from the same
 * zod schema that validates at run time. Included files match it too: `anyOf` the two forms.
 */
export function manifestJsonSchema(): Record<string, unknown> {
  const main = z.toJSONSchema(manifestSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  const included = z.toJSONSchema(includedManifestSchema, {
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  for (const schema of [main, included]) {
    delete schema.$schema;
    const images = (schema.properties as Record<string, Record<string, unknown>>).images!;
    images.propertyNames = { pattern: IMAGE_ID_PATTERN };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://pixlock.dev/schema/pixlock.schema.json',
    title: 'pixlock manifest',
    description:
      'Images as code: the images a project needs, how they are generated and post-processed.',
    anyOf: [main, included],
  };
}
