import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ResolvedManifest } from '@pixlock/core';
import {
  CACHE_MAX_BYTES,
  MANIFEST_MAX_BYTES,
  projectTempPath,
  readRegularFile,
  safeProjectPath,
  sha256,
  TYPE_DECLARATIONS_FILE,
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
  if (!file) return undefined;
  const { writeTypeDeclarations } = await import('@pixlock/core');
  return (await writeTypeDeclarations(manifest, file)) ? file : undefined;
}

/** The declaration file when it is used and does not match the manifest (missing or stale). */
export async function staleDeclarations(manifest: ResolvedManifest): Promise<string | undefined> {
  const file = typeDeclarationsFile(manifest);
  if (!file) return undefined;
  const { typeDeclarationsCurrent } = await import('@pixlock/core');
  return (await typeDeclarationsCurrent(manifest, file)) ? undefined : file;
}

/**
 * True when the declaration file of the manifest in `dir` is not used (no Vite plugin) or holds
 * the text whose sha256 is `digest` (what the up-to-date record says the manifest gives).
 */
export async function declarationsMatch(dir: string, digest: string): Promise<boolean> {
  if (!pluginInstalled(dir)) return true;
  const text = await readText(path.join(dir, TYPE_DECLARATIONS_FILE), CACHE_MAX_BYTES);
  return text !== undefined && sha256(text) === digest;
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
