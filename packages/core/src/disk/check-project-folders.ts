import { lstatSync, readlinkSync, type Stats } from 'node:fs';
import path from 'node:path';
import { PixlockError } from '../errors.js';
import { ORIGINALS_DIR, PIXLOCK_DIR, TMP_DIR } from './project-paths.js';

/** Folders pixlock reads and writes in, relative to the project folder. */
const OWN_FOLDERS = [
  PIXLOCK_DIR,
  TMP_DIR,
  ORIGINALS_DIR,
  `${PIXLOCK_DIR}/cache`,
  `${PIXLOCK_DIR}/review`,
];
/**
 * Files of pixlock's folder it replaces whole (the lock, journal and caches are refused as
 * links where they are read).
 */
const OWN_FILES = [`${PIXLOCK_DIR}/pixlock.schema.json`];

/**
 * Refuses (PATH_UNSAFE) a project where a folder pixlock reads or writes in is not a real
 * folder: a symlink or a file where `.pixlock`, one of its folders, `outDir` or a folder of the
 * outputs below it should be, on any component from the project folder down. A checkout can carry such a link, pointing
 * at a folder outside the project; every write is checked again on its own (safe-folders.ts),
 * but this check runs before a command reads or writes anything, so a link is an error up
 * front, not after images were paid for or half the files written. Missing folders are fine;
 * a link where the schema copy is, is refused too.
 * `folders` are more folders (relative, forward slashes) to hold to the same rule.
 */
export function checkProjectFolders(dir: string, folders: Iterable<string> = []): void {
  const problem = projectFolderProblem(dir, folders);
  if (problem) throw problem;
}

/** True when {@link checkProjectFolders} would pass (for readers that fall back instead). */
export function projectFoldersSafe(dir: string, folders: Iterable<string> = []): boolean {
  return projectFolderProblem(dir, folders) === undefined;
}

function projectFolderProblem(dir: string, folders: Iterable<string>): PixlockError | undefined {
  const seen = new Set<string>();
  const look = (rel: string): Stats | undefined =>
    lstatSync(path.join(dir, rel), { throwIfNoEntry: false });
  for (const folder of [...OWN_FOLDERS, ...folders]) {
    const parts = folder.split('/').filter((p) => p !== '' && p !== '.');
    for (let i = 1; i <= parts.length; i++) {
      const rel = parts.slice(0, i).join('/');
      if (seen.has(rel)) continue;
      seen.add(rel);
      const stat = look(rel);
      // A missing folder has no folders below it to look at.
      if (!stat) break;
      if (!stat.isDirectory()) return unsafe(dir, rel, stat, 'folder');
    }
  }
  for (const file of OWN_FILES) {
    const stat = look(file);
    if (stat && !stat.isFile()) return unsafe(dir, file, stat, 'file');
  }
  return undefined;
}

function unsafe(dir: string, rel: string, stat: Stats, should: string): PixlockError {
  let what = 'is not a folder';
  if (stat.isSymbolicLink()) {
    let target = '';
    try {
      target = ` to ${readlinkSync(path.join(dir, rel))}`;
    } catch {
      // Gone meanwhile: said without its target.
    }
    what = `is a symbolic link${target}`;
  } else if (should === 'file') what = 'is not a regular file';
  return new PixlockError(
    'PATH_UNSAFE',
    `${rel} ${what}: pixlock reads and writes its ${should}s only as real ${should}s inside the project, so it stopped before touching anything. Replace ${rel} with a real ${should} (or remove it) and run again`,
    { details: { path: path.join(dir, rel) } },
  );
}
