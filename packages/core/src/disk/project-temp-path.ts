import { randomBytes } from 'node:crypto';
import { TMP_DIR } from './project-paths.js';
import { SafeFolders } from './safe-folders.js';

/**
 * A fresh path in `<dir>/.pixlock/tmp/` for a file that is then renamed into place, its folders
 * made through no symlink. Temporary files live there and nowhere else in a project: a run
 * empties that folder when it starts, so a kill at any instant leaves no stray file beside
 * the lock, the outputs or the support files.
 */
export function projectTempPath(dir: string, suffix = ''): string {
  const name = `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}${suffix}`;
  return new SafeFolders(dir).resolve(`${TMP_DIR}/${name}`, true)!;
}
