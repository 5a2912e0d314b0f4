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
    runLock: path.join(dir, PIXLOCK_DIR, 'run.lock'),
    /** Paid creates on their way (see create-journal.ts); removed after each run that settles them. */
    journal: path.join(dir, PIXLOCK_DIR, 'creating.jsonl'),
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
