import { lstatSync } from 'node:fs';
import path from 'node:path';
import { PixlockError } from '../errors.js';
import { SafeFolders } from './safe-folders.js';

/**
 * Where to write a support file (the type declarations, the schema copy) below `root`, the
 * manifest's folder: its folders are made, and nothing on the way may be a symlink, so a
 * checkout cannot point `pixlock-env.d.ts` or `.pixlock/` at a file outside the project. A
 * file outside `root` (a path the user configured) is only refused when it is itself a symlink.
 */
export function safeProjectPath(root: string, file: string): string {
  const rel = path.relative(root, file);
  if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)) {
    return new SafeFolders(root).resolve(rel.split(path.sep).join('/'), true)!;
  }
  if (lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink()) {
    throw new PixlockError(
      'PATH_UNSAFE',
      `refusing to write through ${file}: it is a symlink; remove or replace it and run again`,
    );
  }
  return file;
}
