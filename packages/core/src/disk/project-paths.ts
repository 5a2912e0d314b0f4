import path from 'node:path';
import { extensionForMediaType } from '../media-types.js';

/** pixlock's own folder beside the manifest. */
export const PIXLOCK_DIR = '.pixlock';

/** The lockfile's name, beside the manifest. */
export const LOCK_FILE_NAME = 'pixlock.lock';

/** Where generated originals are kept, relative to the project folder. */
export const ORIGINALS_DIR = `${PIXLOCK_DIR}/originals`;

/** Where downloads land before they are kept, relative to the project folder. */
export const TMP_DIR = `${PIXLOCK_DIR}/tmp`;

/**
 * Where everything of a project lives: made once, at a command's start, from the manifest's
 * path, and handed down to whatever reads or writes the project's files.
 */
export interface ProjectPaths {
  /** The project folder: the manifest's, absolute. */
  dir: string;
  /** The manifest, absolute. */
  manifestFile: string;
  lockFile: string;
  originalsDir: string;
  /** Local speed-ups, never committed (project/cache/). */
  cacheDir: string;
  tmpDir: string;
  /**
   * The run mutex (see run-mutex.ts). Beside the manifest, not in `.pixlock/`: deleting that
   * folder mid-run must not let a second run in. An empty folder while a run holds it, so git
   * never sees it.
   */
  runLock: string;
  /** Changes of the lock during a run, and paid creates on their way (see lock-journal.ts). */
  journal: string;
  /** The journal set aside while the lock is rewritten (see LockJournal.rotate). */
  journalOld: string;
  /** Where pixlock before the lock journal noted paid creates; still read. */
  legacyJournal: string;
  /** Objects recorded but not yet confirmed in the project's store (see push-journal.ts). */
  pushJournal: string;
}

/** Where everything of a project lives, from its manifest's path. */
export function projectPaths(manifestFile: string): ProjectPaths {
  const file = path.resolve(manifestFile);
  const dir = path.dirname(file);
  return {
    dir,
    manifestFile: file,
    lockFile: path.join(dir, LOCK_FILE_NAME),
    originalsDir: path.join(dir, ORIGINALS_DIR),
    cacheDir: path.join(dir, PIXLOCK_DIR, 'cache'),
    tmpDir: path.join(dir, TMP_DIR),
    runLock: path.join(dir, '.pixlock-run'),
    journal: path.join(dir, PIXLOCK_DIR, 'journal.jsonl'),
    journalOld: path.join(dir, PIXLOCK_DIR, 'journal.jsonl.old'),
    legacyJournal: path.join(dir, PIXLOCK_DIR, 'creating.jsonl'),
    pushJournal: path.join(dir, PIXLOCK_DIR, 'unpushed.jsonl'),
  };
}

/** Every journal a run may have left, oldest first: the order they are replayed in. */
export function journalFiles(paths: ProjectPaths): string[] {
  return [paths.legacyJournal, paths.journalOld, paths.journal];
}

/** Path of an original relative to the project folder. */
export function originalRelPath(sha256: string, mediaType: string): string {
  return `${ORIGINALS_DIR}/${sha256}.${extensionForMediaType(mediaType)}`;
}
