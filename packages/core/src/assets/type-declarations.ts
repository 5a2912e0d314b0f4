import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { CACHE_MAX_BYTES, readRegularFile } from '../disk/read-regular-file.js';
import { projectTempPath } from '../disk/project-temp-path.js';
import { safeProjectPath } from '../disk/safe-project-path.js';
import { writeFileAtomically } from '../disk/write-file-atomically.js';
import type { ResolvedImage, ResolvedManifest } from '../manifest/resolved-manifest.js';

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
  const images = [...manifest.images].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const lines = [
    `// Written by pixlock from ${path.basename(manifest.file)}; rewritten when it changes. Do not edit.`,
  ];
  const reference = options.reference ?? IMAGE_TYPES_REFERENCE;
  if (reference) lines.push(`/// <reference types="${reference}" />`);
  lines.push('', `declare module '${ALL_IMAGES_MODULE}' {`, '  interface PixlockImages {');
  for (const image of images)
    lines.push(`    ${propertyKey(image.id)}: ${imageType(image, '    ')};`);
  lines.push('  }', '}');
  for (const image of images) {
    lines.push(
      '',
      `declare module '${IMAGE_MODULE_PREFIX}${image.id}' {`,
      `  import type { PixlockImage } from '${ALL_IMAGES_MODULE}';`,
      `  const image: ${imageType(image, '  ')};`,
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

/**
 * `PixlockImage`, with the generation fields the image exposes made required: an import
 * carries exactly those (see describeImage), so reading one it does not expose is a type
 * error rather than an `undefined` in the page. An image that exposes nothing is written
 * exactly as before `expose` existed.
 */
function imageType(image: ResolvedImage, indent: string): string {
  const listed = new Set(image.expose ?? []);
  const fields: string[] = [];
  if (listed.has('prompt')) fields.push('readonly prompt: string;');
  if (listed.has('negativePrompt') && image.negativePrompt !== undefined)
    fields.push('readonly negativePrompt: string;');
  if (listed.has('seed')) fields.push('readonly seed: number;');
  if (listed.has('taskId')) fields.push('readonly taskId: string;');
  if (fields.length === 0) return 'PixlockImage';
  // One field a line: Prettier keeps a type literal expanded when it is written so.
  return `PixlockImage & {\n${fields.map((f) => `${indent}  ${f}\n`).join('')}${indent}}`;
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
