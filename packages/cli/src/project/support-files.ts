import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  typeDeclarationsCurrent,
  writeTypeDeclarations,
  TYPE_DECLARATIONS_FILE,
  type ResolvedManifest,
} from '@pixlock/core';
import writeFileAtomic from 'write-file-atomic';

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

/** Writes the schema copy beside `manifestFile` when it differs; true when it wrote. */
export async function writeSchemaCopy(manifestFile: string): Promise<boolean> {
  const file = path.join(path.dirname(manifestFile), SCHEMA_COPY);
  const text = await readFile(SHIPPED_SCHEMA, 'utf8');
  if ((await readFile(file, 'utf8').catch(() => undefined)) === text) return false;
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, text);
  return true;
}

/**
 * The declaration file for `pixlock:<id>` imports, or undefined when `@pixlock/vite-plugin`
 * is not installed in a node_modules at or above the manifest's folder (Yarn Plug'n'Play:
 * the Vite plugin still writes it): only the plugin resolves those imports, and
 * the declarations reference its types, so without it the file would be a type error itself.
 */
export function typeDeclarationsFile(manifest: ResolvedManifest): string | undefined {
  return pluginInstalled(manifest.dir)
    ? path.join(manifest.dir, TYPE_DECLARATIONS_FILE)
    : undefined;
}

// TypeScript's lookup, not Node's: the node_modules of the folder and its parents, without
// NODE_PATH (which package managers set when running scripts, and tsc ignores).
function pluginInstalled(dir: string): boolean {
  for (let d = dir; ; d = path.dirname(d)) {
    if (existsSync(path.join(d, 'node_modules', '@pixlock', 'vite-plugin', 'package.json')))
      return true;
    if (path.dirname(d) === d) return false;
  }
}

/** Writes the declarations when the plugin is installed and they changed; the file it wrote. */
export async function writeDeclarationsIfUsed(
  manifest: ResolvedManifest,
): Promise<string | undefined> {
  const file = typeDeclarationsFile(manifest);
  return file && (await writeTypeDeclarations(manifest, file)) ? file : undefined;
}

/** The declaration file when it is used and does not match the manifest (missing or stale). */
export async function staleDeclarations(manifest: ResolvedManifest): Promise<string | undefined> {
  const file = typeDeclarationsFile(manifest);
  return file && !(await typeDeclarationsCurrent(manifest, file)) ? file : undefined;
}
