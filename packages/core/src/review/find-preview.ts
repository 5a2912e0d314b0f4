import path from 'node:path';
import { extensionForMediaType } from '../media-types.js';
import type { LockedOriginal, LockEntry } from '../lock/lockfile.js';
import type { OriginalsStore } from '../originals/originals-store.js';
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
  /** The originals this place keeps. */
  originals: OriginalsStore;
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
      // Never through a link: one committed in a pull request could otherwise copy a file
      // from outside the project into the report.
      const data = await source.readPlainFile(path.join(dir, ...main.path.split('/')));
      if (data && sha256(data) === main.sha256) {
        const name = `${main.sha256}.${extension(main.path)}`;
        await save(name, data);
        return { src: `images/${name}`, from: kind, width: main.width, height: main.height };
      }
    }
  }
  const found = await findOriginal(entry.original, places, save);
  if (found) return found;
  const kept = keptOriginal(entry.original, places);
  const where = places.map((p) => p.source.description).join(' or ');
  return {
    missing: main
      ? `cannot show it: neither ${main.path} in ${where} nor ${kept} holds the sha256 the lock records`
      : `cannot show it: ${kept} is not there with the sha256 the lock records`,
  };
}

/** The kept original as every place's store names it, for messages. */
export function keptOriginal(original: LockedOriginal, places: PreviewPlace[]): string {
  return `the kept original ${places.map((p) => p.originals.locate(original)).join(' or ')}`;
}

/**
 * A kept original (an image's, or one candidate's) from the first place whose store has it
 * (verified against its recorded sha256 by the store), saved for the report; undefined when
 * none has it.
 */
export async function findOriginal(
  original: LockedOriginal,
  places: PreviewPlace[],
  save: SavePreview,
): Promise<Preview | undefined> {
  for (const { originals } of places) {
    const read = await originals.get(original);
    if (read.status !== 'found') continue;
    const name = `${original.sha256}.${extensionForMediaType(original.mediaType)}`;
    await save(name, read.bytes);
    return {
      src: `images/${name}`,
      from: 'original',
      width: original.width,
      height: original.height,
    };
  }
  return undefined;
}

/** A file name's extension, if it is a plain one; the report's copy is named by hash anyway. */
function extension(file: string): string {
  const ext = path.posix.extname(file).slice(1).toLowerCase();
  return /^[a-z0-9]{1,8}$/.test(ext) ? ext : 'bin';
}
