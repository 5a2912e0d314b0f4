/**
 * How long a file must have been left alone before its identity (size, times, inode) alone is
 * trusted to stand for its bytes. A file's modification time is only as fine as the file
 * system's clock tick (a second on some): one rewritten within a tick with the same size looks
 * unchanged. Such a "racily clean" file (git's term) is compared by content, or not vouched for.
 */
export const RACY_MS = 3000;
