import { lstatSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PixlockError } from '../errors.js';

/**
 * Resolves paths below a project folder for writing or deleting, refusing any that would go
 * through a symlink: every component below the root is `lstat`ed, and must be a real folder
 * (the last one, when it exists, a regular file). A lock or a checkout could otherwise point
 * `generated/` or `.pixlock/` at a folder outside the project, and a write or `prune` would
 * follow it. Every call checks every folder again: a folder swapped for a symlink during a
 * run (after an earlier write found it real) must be seen too, and a few `lstat`s are nothing
 * beside encoding an image. Missing folders are made one level at a time, so a symlink planted
 * in the middle is still seen.
 */
export class SafeFolders {
  constructor(readonly root: string) {}

  /**
   * The absolute path of `rel` (forward slashes, already checked to stay inside the root),
   * with its folders made when `create` is set. Returns undefined when a folder is missing
   * and `create` is not set (nothing there to delete).
   */
  resolve(rel: string, create: boolean): string | undefined {
    const segments = rel.split('/');
    let dir = this.root;
    for (const segment of segments.slice(0, -1)) {
      dir = path.join(dir, segment);
      const stat = lstatSync(dir, { throwIfNoEntry: false });
      if (!stat) {
        if (!create) return undefined;
        mkdirSync(dir);
      } else if (!stat.isDirectory()) {
        throw unsafe(this.root, dir, stat.isSymbolicLink() ? 'is a symlink' : 'is not a folder');
      }
    }
    const file = path.join(dir, segments.at(-1)!);
    const stat = lstatSync(file, { throwIfNoEntry: false });
    if (stat && !stat.isFile()) {
      throw unsafe(this.root, file, stat.isSymbolicLink() ? 'is a symlink' : 'is not a file');
    }
    return file;
  }

  /**
   * Called when a folder was removed, or may have been. Nothing to forget: nothing is
   * remembered between calls (see above); kept so callers need not know that.
   */
  forget(): void {}
}

function unsafe(root: string, where: string, what: string): PixlockError {
  const rel = path.relative(root, where).split(path.sep).join('/');
  return new PixlockError(
    'PATH_UNSAFE',
    `refusing to write or delete through ${rel}: it ${what}. pixlock writes only real files in real folders inside the project; remove or replace ${rel} and run again`,
  );
}
