import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { CACHE_MAX_BYTES, readRegularFile } from '../disk/read-regular-file.js';
import { projectTempPath } from '../disk/project-temp-path.js';
import { safeProjectPath } from '../disk/safe-project-path.js';
import { writeFileAtomically } from '../disk/write-file-atomically.js';
import type { ResolvedManifest } from '../manifest/resolved-manifest.js';

/** Prefix of the module that exports one image: `pixlock:<id>`. */
export const IMAGE_MODULE_PREFIX = 'pixlock:';

/** The module that exports every image by id. */
export const ALL_IMAGES_MODULE = 'virtual:pixlock';

/** The declaration file's default name, beside the manifest. */
export const TYPE_DECLARATIONS_FILE = 'pixlock-env.d.ts';

/**
 * The types the declarations reference by default: `PixlockImage` and `PixlockImages` in
 * `virtual:pixlock`, with no `pixlock:*` catch-all (which would make every typo type-check).
 */
export const IMAGE_TYPES_REFERENCE = '@pixlock/vite-plugin/image-types';

/** Options of {@link typeDeclarations}. */
export interface TypeDeclarationOptions {
  /**
   * Types to reference at the top (`/// <reference types>`), which define `PixlockImage` and
   * `PixlockImages` in `virtual:pixlock`. Default {@link IMAGE_TYPES_REFERENCE}; `false` for
   * none (the types are then expected among the program's root files).
   */
  reference?: string | false;
}

/**
 * The declaration file for a manifest: one `pixlock:<id>` module per image and one key per
 * id in `PixlockImages`. There is deliberately no `pixlock:*` wildcard, so a mistyped id
 * is a type error. The text is stable (ids sorted, Prettier's style) so rewriting it with
 * the same manifest changes nothing.
 */
export function typeDeclarations(
  manifest: ResolvedManifest,
  options: TypeDeclarationOptions = {},
): string {
  const ids = manifest.images.map((i) => i.id).sort();
  const lines = [
    `// Written by pixlock from ${path.basename(manifest.file)}; rewritten when it changes. Do not edit.`,
  ];
  const reference = options.reference ?? IMAGE_TYPES_REFERENCE;
  if (reference) lines.push(`/// <reference types="${reference}" />`);
  lines.push('', `declare module '${ALL_IMAGES_MODULE}' {`, '  interface PixlockImages {');
  for (const id of ids) lines.push(`    ${propertyKey(id)}: PixlockImage;`);
  lines.push('  }', '}');
  for (const id of ids) {
    lines.push(
      '',
      `declare module '${IMAGE_MODULE_PREFIX}${id}' {`,
      `  import type { PixlockImage } from '${ALL_IMAGES_MODULE}';`,
      '  const image: PixlockImage;',
      '  export default image;',
      '}',
    );
  }
  return lines.join('\n') + '\n';
}

/** True when `file` holds exactly the declarations of `manifest` (missing counts as stale). */
export async function typeDeclarationsCurrent(
  manifest: ResolvedManifest,
  file: string,
  options: TypeDeclarationOptions = {},
): Promise<boolean> {
  const current = await readDeclarations(file);
  return current === typeDeclarations(manifest, options);
}

/**
 * Writes {@link typeDeclarations} to `file` when the text differs. Returns true when it
 * wrote: an unchanged file is left alone so watchers and `tsc --watch` see no change.
 */
export async function writeTypeDeclarations(
  manifest: ResolvedManifest,
  file: string,
  options: TypeDeclarationOptions = {},
): Promise<boolean> {
  const text = typeDeclarations(manifest, options);
  const target = safeProjectPath(manifest.dir, file);
  const current = await readDeclarations(target);
  if (current === text) return false;
  // Its temporary file in `.pixlock/tmp/` when it is the project's; beside it when elsewhere.
  const inProject = !path.relative(manifest.dir, target).startsWith('..');
  const temp = inProject ? projectTempPath(manifest.dir, '.d.ts') : undefined;
  if (!inProject) await mkdir(path.dirname(target), { recursive: true });
  await writeFileAtomically(target, text, temp);
  return true;
}

// Prettier's rule: quotes only where an identifier would not do.
function propertyKey(id: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(id) ? id : `'${id}'`;
}

/** The declaration file's text; undefined when missing or not a regular file of sane size. */
function readDeclarations(file: string): Promise<string | undefined> {
  return readRegularFile(file, { maxBytes: CACHE_MAX_BYTES }).then(
    (b) => b.toString('utf8'),
    () => undefined,
  );
}
