import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';

/**
 * The folder a manifest may read from and write to: the nearest ancestor of `dir` (itself
 * included) holding `.git` (a folder, or a file in a worktree), symlinks resolved; `dir` itself
 * when there is none. A manifest arrives in pull requests: nothing it names may reach past it.
 */
export async function repositoryRoot(dir: string): Promise<string> {
  const real = await realpath(dir);
  for (let d = real; ; d = path.dirname(d)) {
    if (
      await lstat(path.join(d, '.git')).then(
        () => true,
        () => false,
      )
    )
      return d;
    if (path.dirname(d) === d) return real;
  }
}

/** True when `file` is `root` or lies under it (both absolute, already resolved). */
export function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Where `file` really is: its realpath, or for a path that does not exist yet, the realpath of
 * its nearest existing ancestor with the rest appended (so a symlinked folder on the way counts).
 */
export async function resolveReal(file: string): Promise<string> {
  const rest: string[] = [];
  for (let p = path.resolve(file); ; p = path.dirname(p)) {
    try {
      return path.join(await realpath(p), ...rest.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || path.dirname(p) === p) throw error;
      rest.push(path.basename(p));
    }
  }
}
