import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PixlockError } from '../errors.js';

// Every file of the report is new in a folder pixlock just made: never written through a link.
const FRESH = { flag: 'wx' } as const;

/** The file that marks a folder as a review report, so a later run may replace it. */
export const REVIEW_MARKER = '.pixlock-review';

/** A report folder being written: files go to a temporary sibling, then replace `dir` at once. */
export interface ReviewFolder {
  /** Keeps an image under `images/`; the same name twice is written once. */
  saveImage(name: string, data: Buffer): Promise<void>;
  /** Writes the remaining files and puts the folder in place of any previous report. */
  finish(files: Record<string, string>): Promise<void>;
  /** Removes what was written; `dir` stays as it was. */
  abandon(): Promise<void>;
}

/**
 * Starts a report folder at `dir`. Refuses (USAGE) when `dir` exists and is not an empty folder
 * or an earlier report, and (PATH_UNSAFE) when it is a link: a mistyped `--out` must never
 * delete someone's folder.
 */
export async function startReviewFolder(dir: string): Promise<ReviewFolder> {
  await checkReplaceable(dir);
  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  await mkdir(path.join(tmp, 'images'), { recursive: true });
  const saved = new Set<string>();
  return {
    async saveImage(name, data) {
      if (!/^[0-9a-f]{64}\.[a-z0-9]{1,8}$/.test(name))
        throw new TypeError(`bad image name ${name}`);
      if (saved.has(name)) return;
      saved.add(name);
      await writeFile(path.join(tmp, 'images', name), data, FRESH);
    },
    async finish(files) {
      for (const [name, text] of Object.entries(files))
        await writeFile(path.join(tmp, name), text, FRESH);
      await writeFile(
        path.join(tmp, REVIEW_MARKER),
        'written by pixlock review; safe to delete\n',
        FRESH,
      );
      await writeFile(path.join(tmp, '.gitignore'), '*\n', FRESH);
      // Checked again: the folder may have appeared while the report was being made.
      const exists = await checkReplaceable(dir);
      const old = `${dir}.old-${process.pid}-${randomBytes(4).toString('hex')}`;
      if (exists) await rename(dir, old);
      await rename(tmp, dir);
      if (exists) await rm(old, { recursive: true, force: true });
    },
    abandon: () => rm(tmp, { recursive: true, force: true }),
  };
}

/** True when `dir` exists and may be replaced; throws when it must not be. */
async function checkReplaceable(dir: string): Promise<boolean> {
  const stat = await lstat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!stat) return false;
  if (stat.isSymbolicLink()) {
    throw new PixlockError(
      'PATH_UNSAFE',
      `${dir} is a symlink; pixlock review writes only a real folder`,
    );
  }
  const names = stat.isDirectory() ? await readdir(dir) : undefined;
  if (!names || (names.length > 0 && !names.includes(REVIEW_MARKER))) {
    throw new PixlockError(
      'USAGE',
      `${dir} exists and is not an earlier pixlock review; choose another --out, or remove it`,
    );
  }
  return true;
}
