/**
 * Checks a path a lock names. It must be relative to the manifest's folder, with forward
 * slashes, and stay inside it: no absolute path or drive, no `.`/`..`/empty segment, no
 * backslash or control character, and not inside pixlock's own folder. Returns the problem,
 * or undefined when the path is fine.
 */
export function checkLockPath(p: string, pixlockDir: string): string | undefined {
  if (p.length === 0) return 'a path must not be empty';
  if (p.length > 1024) return 'a path must be at most 1024 characters';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(p)) {
    return `path "${JSON.stringify(p).slice(1, -1)}" contains a backslash or a control character`;
  }
  if (p.startsWith('/') || /^[a-zA-Z]:/.test(p)) {
    return `path "${p}" is absolute; a lock names files relative to the manifest's folder`;
  }
  const segments = p.split('/');
  if (segments.some((s) => s === '..' || s === '.' || s === '')) {
    return `path "${p}" contains "..", "." or an empty segment and could leave the project`;
  }
  if (segments[0] === pixlockDir)
    return `path "${p}" is inside ${pixlockDir}/, pixlock's own folder`;
  return undefined;
}

/** Whether `rel` (a path that passed {@link checkLockPath}) lies inside folder `dir` ("." = all). */
export function isInsideFolder(rel: string, dir: string): boolean {
  return dir === '.' || rel.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}
