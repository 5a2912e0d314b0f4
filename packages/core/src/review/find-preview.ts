import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { nodeFileSource } from '../sources/node-file-source.js';
import { extensionForMediaType } from '../assets/media-types.js';
import { originalRelPath } from '../disk/project-paths.js';
import type { LockedOriginal, LockEntry } from '../lock/lockfile.js';
import type { FileSource } from '../sources/file-source.js';
import { sha256 } from '../util/sha256.js';
import type { Preview, PreviewSource } from './review-types.js';

/** Keeps an image file for the report under `images/<name>`; called once per distinct name. */
export type SavePreview = (name: string, data: Buffer) => Promise<void>;

/** Where to look for an image's files, in order. */
export interface PreviewPlace {
  source: FileSource;
  /** What a file found here is called: `disk` for the working tree, `git` for a commit. */
  kind: Exclude<PreviewSource, 'original'>;
}

/**
 * Finds the bytes to show for a locked image and saves them for the report: its largest output
 * file, else its kept original, from the first place that has it with the sha256 the lock
 * records (so a file edited since, or a lock that lies, never passes for the image). Calls no
 * provider. Says why when nothing matches.
 */
export async function findPreview(
  dir: string,
  entry: LockEntry,
  places: PreviewPlace[],
  save: SavePreview,
): Promise<Preview> {
  const main = [...entry.output.files].sort((a, b) => b.width - a.width)[0];
  if (main) {
    for (const { source, kind } of places) {
      const data = await read(source, path.join(dir, ...main.path.split('/')));
      if (data && sha256(data) === main.sha256) {
        const name = `${main.sha256}.${extension(main.path)}`;
        await save(name, data);
        return { src: `images/${name}`, from: kind, width: main.width, height: main.height };
      }
    }
  }
  const found = await findOriginal(dir, entry.original, places, save);
  if (found) return found;
  const rel = originalRelPath(entry.original.sha256, entry.original.mediaType);
  const where = places.map((p) => p.source.description).join(' or ');
  const what = main ? `${main.path} nor the kept original ${rel}` : `the kept original ${rel}`;
  return {
    missing: `cannot show it: neither ${what} is in ${where} with the sha256 the lock records`,
  };
}

/**
 * A kept original (an image's, or one candidate's) from the first place that has it with its
 * recorded sha256, saved for the report; undefined when none has it.
 */
export async function findOriginal(
  dir: string,
  original: LockedOriginal,
  places: PreviewPlace[],
  save: SavePreview,
): Promise<Preview | undefined> {
  const rel = originalRelPath(original.sha256, original.mediaType);
  for (const { source } of places) {
    const data = await read(source, path.join(dir, ...rel.split('/')));
    if (data && sha256(data) === original.sha256) {
      const name = `${original.sha256}.${extensionForMediaType(original.mediaType)}`;
      await save(name, data);
      return {
        src: `images/${name}`,
        from: 'original',
        width: original.width,
        height: original.height,
      };
    }
  }
  return undefined;
}

async function read(source: FileSource, file: string): Promise<Buffer | undefined> {
  try {
    return source === nodeFileSource ? await readNoLink(file) : await source.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/**
 * A working-tree file, unless it is a link: a link committed in a pull request could otherwise
 * copy a file from outside the project into the report.
 */
async function readNoLink(file: string): Promise<Buffer | undefined> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ELOOP') return undefined;
      throw error;
    },
  );
  if (!handle) return undefined;
  try {
    return (await handle.stat()).isFile() ? await handle.readFile() : undefined;
  } finally {
    await handle.close();
  }
}

/** A file name's extension, if it is a plain one; the report's copy is named by hash anyway. */
function extension(file: string): string {
  const ext = path.posix.extname(file).slice(1).toLowerCase();
  return /^[a-z0-9]{1,8}$/.test(ext) ? ext : 'bin';
}
