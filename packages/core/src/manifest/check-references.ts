import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../errors.js';
import { isUrlReference } from './is-url-reference.js';
import { imageMagic, mediaTypeOfName } from './image-magic.js';
import { isInside } from '../disk/repository-root.js';
import type { SourceLinks } from '../sources/file-source.js';
import type { Position } from '../util/yaml-locator.js';

/** A reference as written: in which file, at which YAML path. */
export interface ReferenceSite {
  file: string;
  path: (string | number)[];
  ref: string;
}

/**
 * Checks every local reference before anything can be uploaded: it must resolve (symlinks
 * followed) inside the repository, be a regular file, start with the bytes of the image type
 * its name promises, and decode (sharp reads its header). A file outside the repository is
 * never opened, and its name or content never appears in a message. Each file is checked once
 * however many images name it.
 */
export async function checkReferences(
  sites: readonly ReferenceSite[],
  root: string,
  links: SourceLinks,
  locate: (file: string, path: (string | number)[]) => Position,
): Promise<Diagnostic[]> {
  const verdicts = new Map<string, Promise<string | undefined>>();
  const out: Diagnostic[] = [];
  for (const site of sites) {
    if (isUrlReference(site.ref)) continue;
    const abs = path.resolve(path.dirname(site.file), site.ref);
    let verdict = verdicts.get(abs);
    if (!verdict) verdicts.set(abs, (verdict = referenceProblem(abs, site.ref, root, links)));
    const problem = await verdict;
    if (problem === undefined) continue;
    const { line, column } = locate(site.file, site.path);
    out.push({ file: site.file, path: site.path, line, column, message: problem });
  }
  return out;
}

async function referenceProblem(
  abs: string,
  ref: string,
  root: string,
  links: SourceLinks,
): Promise<string | undefined> {
  const real = await links.resolve(abs);
  if (!isInside(root, real)) {
    return `reference "${ref}" leads outside the repository (${root}); pixlock reads only files inside it`;
  }
  const s = await stat(real).catch(() => undefined);
  if (!s) return `reference "${ref}": no such file`;
  if (!s.isFile()) return `reference "${ref}" is not a file`;
  const promised = mediaTypeOfName(ref);
  if (!promised) return `reference "${ref}" must be a .png, .jpg, .webp or .gif file`;
  const head = new Uint8Array(16);
  const handle = await open(real, 'r');
  try {
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  const found = imageMagic(head);
  if (!found) return `reference "${ref}" is not an image: its bytes are not PNG, JPEG, WebP or GIF`;
  if (found !== promised) {
    return `reference "${ref}" is named as ${promised} but its bytes are ${found}: rename it`;
  }
  const { default: sharp } = await import('sharp');
  const ok = await sharp(real)
    .metadata()
    .then(
      (m) => (m.width ?? 0) > 0 && (m.height ?? 0) > 0,
      () => false,
    );
  return ok ? undefined : `reference "${ref}" does not decode as an image (the file is damaged)`;
}
