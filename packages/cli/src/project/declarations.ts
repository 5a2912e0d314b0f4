import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DeclarationsPlace, ResolvedManifest } from '@pixlock/core';
import {
  CACHE_MAX_BYTES,
  readRegularFile,
  rememberTypesPlace,
  sha256,
  typesPlaceMemo,
} from '@pixlock/core/light';

/**
 * Where `pixlock-env.d.ts` of the manifest in `dir` goes (see core's typeDeclarationsPlace:
 * where the app's tsconfig already looks, so no edit is needed), or undefined when `@pixlock/vite-plugin` is not
 * installed in a node_modules at or above the manifest's folder (Yarn Plug'n'Play: the Vite
 * plugin still writes it): only the plugin resolves those imports, and the declarations
 * reference its types, so without it the file would be a type error itself.
 */
export async function typeDeclarationsFile(dir: string): Promise<DeclarationsPlace | undefined> {
  if (!pluginInstalled(dir)) return undefined;
  const { typeDeclarationsPlace } = await import('@pixlock/core');
  const place = await typeDeclarationsPlace(dir);
  // Where the last full run put them: a no-op answers from it without parsing any tsconfig
  // (see declarationsMatch).
  await rememberTypesPlace(dir, place);
  return place;
}

/** Writes the declarations when the plugin is installed and they changed; where it wrote. */
export async function writeDeclarationsIfUsed(
  manifest: ResolvedManifest,
): Promise<DeclarationsPlace | undefined> {
  const place = await typeDeclarationsFile(manifest.dir);
  if (!place) return undefined;
  const { writeTypeDeclarations } = await import('@pixlock/core');
  return (await writeTypeDeclarations(manifest, place.file)) ? place : undefined;
}

/** The declaration file when it is used and does not match the manifest (missing or stale). */
export async function staleDeclarations(manifest: ResolvedManifest): Promise<string | undefined> {
  const place = await typeDeclarationsFile(manifest.dir);
  if (!place) return undefined;
  const { typeDeclarationsCurrent } = await import('@pixlock/core');
  return (await typeDeclarationsCurrent(manifest, place.file)) ? undefined : place.file;
}

/**
 * True when the declaration file of the manifest in `dir` is not used (no Vite plugin) or holds
 * the text whose sha256 is `digest` (what the up-to-date record says the manifest gives), at
 * the place the last full run chose while no tsconfig it read has changed since. Any doubt is
 * false, and the caller reads the project in full.
 */
export async function declarationsMatch(dir: string, digest: string): Promise<boolean> {
  if (!pluginInstalled(dir)) return true;
  const file = await typesPlaceMemo(dir);
  if (file === undefined) return false;
  const text = await readText(file);
  return text !== undefined && sha256(text) === digest;
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

/** The text of a file pixlock keeps, or undefined when missing or not a regular file. */
function readText(file: string): Promise<string | undefined> {
  return readRegularFile(file, { maxBytes: CACHE_MAX_BYTES }).then(
    (b) => b.toString('utf8'),
    () => undefined,
  );
}
