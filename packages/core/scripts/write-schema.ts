// Regenerates schema/pixlock.schema.json from the zod schema (run: pnpm --filter @pixlock/core schema).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { manifestJsonSchema } from '../src/manifest/json-schema.js';

const target = fileURLToPath(new URL('../schema/pixlock.schema.json', import.meta.url));
writeFileSync(target, JSON.stringify(manifestJsonSchema(), null, 2) + '\n');
console.log(`wrote ${target}`);
