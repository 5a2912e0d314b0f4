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

  it('describes ids, enums and unknown keys for editors, in draft-07 with no format', () => {
    const schema = manifestJsonSchema() as {
      $schema: string;
      additionalProperties: boolean;
      required?: string[];
      properties: Record<string, { propertyNames?: unknown }>;
      dependencies: Record<string, string[]>;
    };
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.images!.propertyNames).toEqual({
      pattern: expect.stringContaining('[a-z0-9]'),
    });
    // One object for both forms of file: an included one is a main one without its own keys.
    expect(schema.required).toBeUndefined();
    expect(schema.dependencies.outDir).toEqual(['version', 'provider']);
    expect(schema.dependencies.provider).toEqual(['version']);
    const text = JSON.stringify(schema);
    expect(text).toContain('"enum":["webp","avif","png","jpeg"]');
    expect(text).not.toMatch(/"format":"/);
  });
});
