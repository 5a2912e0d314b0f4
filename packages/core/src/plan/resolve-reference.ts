/**
 * Absolute path of a local reference, relative to the file that names it. Purely lexical (the
 * plan reads no file): loading the manifest has already refused absolute references and any
 * that leave the repository, symlinks followed (manifest/check-references.ts).
 */
export function resolveReference(sourceFile: string, ref: string): string {
  if (ref.startsWith('/')) return ref;
  const dir = sourceFile.slice(0, sourceFile.lastIndexOf('/'));
  const parts = `${dir}/${ref}`.split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return '/' + out.join('/');
}
