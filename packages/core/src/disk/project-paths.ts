import path from 'node:path';
import { extensionForMediaType } from '../assets/media-types.js';

/** pixlock's own folder beside the manifest. */
export const PIXLOCK_DIR = '.pixlock';

/** The lockfile's name, beside the manifest. */
export const LOCK_FILE_NAME = 'pixlock.lock';

/** Where generated originals are kept, relative to the project folder. */
export const ORIGINALS_DIR = `${PIXLOCK_DIR}/originals`;

/** Where downloads land before they are kept, relative to the project folder. */
export const TMP_DIR = `${PIXLOCK_DIR}/tmp`;

/** Where everything of a project lives, from its manifest's path. */
export function projectPaths(manifestFile: string) {
  const dir = path.dirname(path.resolve(manifestFile));
  return {
    dir,
    lockFile: path.join(dir, LOCK_FILE_NAME),
    originalsDir: path.join(dir, ORIGINALS_DIR),
    cacheDir: path.join(dir, PIXLOCK_DIR, 'cache'),
    tmpDir: path.join(dir, TMP_DIR),
    /**
     * The run mutex (see run-mutex.ts). Beside the manifest, not in `.pixlock/`: deleting that
     * folder mid-run must not let a second run in. An empty folder while a run holds it, so git
     * never sees it.
     */
    runLock: path.join(dir, '.pixlock-run'),
    /** Changes of the lock during a run, and paid creates on their way (see lock-journal.ts). */
    journal: path.join(dir, PIXLOCK_DIR, 'journal.jsonl'),
    /** The journal set aside while the lock is rewritten (see LockJournal.rotate). */
    journalOld: path.join(dir, PIXLOCK_DIR, 'journal.jsonl.old'),
    /** Where pixlock before the lock journal noted paid creates; still read. */
    legacyJournal: path.join(dir, PIXLOCK_DIR, 'creating.jsonl'),
  };
}

/** Path of an original relative to the project folder. */
export function originalRelPath(sha256: string, mediaType: string): string {
  return `${ORIGINALS_DIR}/${sha256}.${extensionForMediaType(mediaType)}`;
}
