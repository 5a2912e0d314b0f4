import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CACHE_MAX_BYTES,
  MANIFEST_MAX_BYTES,
  projectTempPath,
  readRegularFile,
  safeProjectPath,
  writeFileAtomically,
} from '@pixlock/core/light';

/**
 * Where `init` and `generate` keep a copy of the manifest's JSON Schema, relative to the
 * manifest. A copy beside the manifest is the one path an editor's `$schema` modeline can
 * name that exists under npm, pnpm's strict layout, yarn (also Plug'n'Play) and `npx` alike:
 * `node_modules/@pixlock/core` is absent wherever core is not a direct dependency.
 */
export const SCHEMA_COPY = '.pixlock/pixlock.schema.json';

// The schema file core ships (a test in core keeps it equal to the zod schema): reading it
// costs less than building the schema on every run of generate.
const SHIPPED_SCHEMA = createRequire(import.meta.url).resolve('@pixlock/core/schema.json');

/**
 * Writes the schema copy beside `manifestFile` when it differs; true when it wrote. Unless
 * `always` (init), only a copy that exists or that the manifest's modeline names is kept
 * current: a manifest whose modeline points elsewhere gets no file it did not ask for.
 */
export async function writeSchemaCopy(
  manifestFile: string,
  options: { always?: boolean } = {},
): Promise<boolean> {
  const dir = path.dirname(manifestFile);
  const file = path.join(dir, SCHEMA_COPY);
  const current = await readText(file, CACHE_MAX_BYTES);
  if (current === undefined && !options.always) {
    const manifest = (await readText(manifestFile, MANIFEST_MAX_BYTES, true)) ?? '';
    if (!manifest.includes(SCHEMA_COPY)) return false;
  }
  const text = await readFile(SHIPPED_SCHEMA, 'utf8');
  if (current === text) return false;
  // Through no symlink: `.pixlock/` in a checkout could point outside the project.
  const target = safeProjectPath(dir, file);
  await writeFileAtomically(target, text, projectTempPath(dir, '.json'));
  return true;
}

/**
 * A file of the project pixlock keeps current (committed, so it may arrive as a link to a
 * device or a FIFO): its text, or undefined when missing or not a regular file of sane size.
 */
function readText(file: string, maxBytes: number, follow = false): Promise<string | undefined> {
  return readRegularFile(file, { maxBytes, follow }).then(
    (b) => b.toString('utf8'),
    () => undefined,
  );
}
