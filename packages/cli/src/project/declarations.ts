import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DeclarationsPlace, ResolvedManifest } from '@pixlock/core';
import {
  CACHE_MAX_BYTES,
  projectTempPath,
  readRegularFile,
  safeProjectPath,
  sha256,
  writeFileAtomically,
} from '@pixlock/core/light';

// Where the last full run put the declarations, and the tsconfig files that decided it: a
// no-op answers from it without parsing any tsconfig (see declarationsMatch). Never committed.
const PLACE_MEMO = path.join('.pixlock', 'cache', 'types-place.json');

interface PlaceMemo {
  /** The declaration file, relative to the manifest's folder. */
  file: string;
  /** Each tsconfig that took part (and `tsconfig.json` beside the manifest) by identity. */
  inputs: [string, string][];
}

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
  await rememberPlace(dir, place);
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
  const memo = await readText(path.join(dir, PLACE_MEMO));
  let place: PlaceMemo;
  try {
    place = JSON.parse(memo ?? '') as PlaceMemo;
  } catch {
    return false;
  }
  if (typeof place?.file !== 'string' || !Array.isArray(place.inputs)) return false;
  if (!place.inputs.every((i) => Array.isArray(i) && identity(String(i[0])) === i[1])) return false;
  const text = await readText(path.join(dir, place.file));
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

/** Keeps the memo of `place` for the no-op path; only a speed-up, so failures are ignored. */
async function rememberPlace(dir: string, place: DeclarationsPlace): Promise<void> {
  const cache = path.join(dir, path.dirname(PLACE_MEMO));
  // No cache folder: no up-to-date record either, so no no-op would read the memo.
  if (!existsSync(cache)) return;
  const inputs = [...new Set([path.join(dir, 'tsconfig.json'), ...place.inputs])];
  const memo: PlaceMemo = {
    file: path.relative(dir, place.file),
    inputs: inputs.map((f) => [f, identity(f)]),
  };
  const text = JSON.stringify(memo);
  if ((await readText(path.join(dir, PLACE_MEMO))) === text) return;
  try {
    // Through no symlink: `.pixlock/` in a checkout could point outside the project.
    const target = safeProjectPath(dir, path.join(dir, PLACE_MEMO));
    await writeFileAtomically(target, text, projectTempPath(dir, '.json'));
  } catch {
    // The next no-op takes the full path.
  }
}

/** A file's identity: changed by any edit or replacement; `-` when it does not exist. */
function identity(file: string): string {
  const s = statSync(file, { throwIfNoEntry: false });
  return s ? `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}` : '-';
}

/** The text of a file pixlock keeps, or undefined when missing or not a regular file. */
function readText(file: string): Promise<string | undefined> {
  return readRegularFile(file, { maxBytes: CACHE_MAX_BYTES }).then(
    (b) => b.toString('utf8'),
    () => undefined,
  );
}
