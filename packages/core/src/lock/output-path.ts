/**
 * The shape of an output path in a lock: `<folder>/<id><suffix>` (folder `.` for a file
 * beside the manifest), the suffix `.<ext>` or `-<width>.<ext>` (see plan/output-files.ts).
 * An image's outputs are in `outDir`, or, until the run that moves them, in the folder an
 * earlier `outDir` named.
 */

const OUTPUT_SUFFIX = /^(-[1-9][0-9]*)?\.(webp|avif|png|jpg)$/;

/**
 * Why a lock (or journal) entry for image `id` may not name output `rel` (a path that passed
 * checkLockPath), or undefined when it is `<folder>/<id>.<ext>` or `<folder>/<id>-<width>.<ext>`
 * in `outDir` or another folder outside `.git`.
 */
export function outputPathProblem(rel: string, outDir: string, id: string): string | undefined {
  const folder = outputFolderOf(rel, id);
  if (folder === undefined) {
    return `output path "${rel}" is not a file pixlock makes for image "${id}" (<outDir>/<id>.<ext> or <outDir>/<id>-<width>.<ext>); pixlock writes and deletes only its own outputs`;
  }
  if (folder !== outDir && folder.split('/').includes('.git')) {
    return `output path "${rel}" is inside .git; pixlock never writes or deletes there`;
  }
  return undefined;
}

/**
 * The folder output `rel` of image `id` lies in (`.` for the manifest's folder), or undefined
 * when `rel` is not a name pixlock gives that image's outputs.
 */
export function outputFolderOf(rel: string, id: string): string | undefined {
  const dot = rel.lastIndexOf('.');
  if (dot < 0) return undefined;
  const dash = rel.lastIndexOf('-', dot);
  // The name ends in `.<ext>` or `-<width>.<ext>`; the id (which may itself end in `-2`) is
  // right before it, at the start or after a slash.
  for (const suffixAt of dash > 0 ? [dot, dash] : [dot]) {
    const at = suffixAt - id.length;
    if (at < 0 || rel.slice(at, suffixAt) !== id) continue;
    if (!OUTPUT_SUFFIX.test(rel.slice(suffixAt))) continue;
    if (at === 0) return '.';
    if (at > 1 && rel[at - 1] === '/') return rel.slice(0, at - 1);
  }
  return undefined;
}

/** Where output `rel` of image `id` goes in `outDir`: the same name in that folder. */
export function outputPathIn(rel: string, id: string, outDir: string): string | undefined {
  const folder = outputFolderOf(rel, id);
  if (folder === undefined) return undefined;
  const name = folder === '.' ? rel : rel.slice(folder.length + 1);
  return outDir === '.' ? name : `${outDir}/${name}`;
}
