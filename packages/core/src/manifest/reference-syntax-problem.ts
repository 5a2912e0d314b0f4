/**
 * What is wrong with how a reference is written, or undefined. Pure, so the schema can say it
 * at the reference's line: a URL must be http(s) (a `file:` URL would read the disk, `data:` and
 * `javascript:` would be taken for file names); a local path must be relative to the file.
 */
export function referenceSyntaxProblem(ref: string): string | undefined {
  if (/^[a-z]:[\\/]/i.test(ref) || ref.startsWith('/') || ref.startsWith('\\')) {
    return `reference "${short(ref)}" is an absolute path: write it relative to this file, inside the repository`;
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(ref)?.[1]?.toLowerCase();
  if (scheme === undefined) return undefined;
  if (scheme !== 'http' && scheme !== 'https') {
    return `reference "${short(ref)}" is a ${scheme}: URL: only http:// and https:// URLs, or paths relative to this file, are allowed`;
  }
  let url: URL;
  try {
    url = new URL(ref);
  } catch {
    return `reference "${short(ref)}" is not a valid URL`;
  }
  if (!/^https?:\/\//i.test(ref) || url.hostname === '') {
    return `reference "${short(ref)}" is not a valid ${scheme}:// URL`;
  }
  return undefined;
}

function short(ref: string): string {
  return ref.length > 60 ? `${ref.slice(0, 57)}...` : ref;
}
