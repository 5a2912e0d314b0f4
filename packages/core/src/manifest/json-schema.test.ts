import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { manifestJsonSchema } from './json-schema.js';

describe('the shipped JSON Schema', () => {
  it('is current with the zod schema (run "pnpm --filter @pixlock/core schema" to refresh it)', () => {
    const shipped = readFileSync(
      new URL('../../schema/pixlock.schema.json', import.meta.url),
      'utf8',
    );
    expect(JSON.parse(shipped)).toEqual(manifestJsonSchema());
  });

  it('describes ids, enums and unknown keys for editors', () => {
    const schema = manifestJsonSchema() as {
      anyOf: {
        properties: Record<string, { propertyNames?: unknown }>;
        additionalProperties: boolean;
      }[];
    };
    const main = schema.anyOf[0]!;
    expect(main.additionalProperties).toBe(false);
    expect(main.properties.images!.propertyNames).toEqual({
      pattern: expect.stringContaining('[a-z0-9]'),
    });
    expect(JSON.stringify(main)).toContain('"enum":["webp","avif","png","jpeg"]');
  });
});
