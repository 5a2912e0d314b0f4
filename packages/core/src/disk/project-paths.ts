import path from 'node:path';

/** pixlock's own folder beside the manifest. */
export const PIXLOCK_DIR = '.pixlock';

/** The lockfile's name, beside the manifest. */
export const LOCK_FILE_NAME = 'pixlock.lock';

/** Where everything of a project lives, from its manifest's path. */
export function projectPaths(manifestFile: string) {
  const dir = path.dirname(path.resolve(manifestFile));
  return {
    dir,
    lockFile: path.join(dir, LOCK_FILE_NAME),
    originalsDir: path.join(dir, PIXLOCK_DIR, 'originals'),
    cacheDir: path.join(dir, PIXLOCK_DIR, 'cache'),
    tmpDir: path.join(dir, PIXLOCK_DIR, 'tmp'),
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

/** Media types an original may have, with the extension it is kept under. */
export const MEDIA_TYPE_EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/avif': 'avif',
  'image/heif': 'heif',
  'image/gif': 'gif',
};

/** File extension for an original of a media type. */
export function extensionForMediaType(mediaType: string): string {
  return MEDIA_TYPE_EXTENSIONS[mediaType] ?? 'bin';
}

/** Path of an original relative to the project folder. */
export function originalRelPath(sha256: string, mediaType: string): string {
  return `${PIXLOCK_DIR}/originals/${sha256}.${extensionForMediaType(mediaType)}`;
}
