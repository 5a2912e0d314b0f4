import { randomBytes } from 'node:crypto';
import { lstatSync } from 'node:fs';
import { readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { PIXLOCK_DIR, TMP_DIR, type ProjectPaths } from '../disk/project-paths.js';
import { SafeFolders } from '../disk/safe-folders.js';
import { writeFileAtomically } from '../disk/write-file-atomically.js';
import type { LockFile, OutputFiles, TempFiles } from '../engine/ports.js';
import { isPixlockError, PixlockError } from '../errors.js';
import { checkLockPath, isInsideFolder } from '../lock/lock-path.js';
import { sha256 as sha256Of } from '../util/sha256.js';

/** The outputs on the local disk, with what `prune` needs. */
export interface LocalOutputs extends OutputFiles {
  /** As OutputFiles'; `stop` defaults to `outDir`. */
  removeEmptyFolders(removedFiles: string[], stop?: string): Promise<string[]>;
}

/** The project's files on the local disk, but the originals (a port of their own). */
export interface LocalFiles {
  temps: TempFiles;
  outputs: LocalOutputs;
  lock: LockFile;
}

/** Options of {@link localFiles}. */
export interface LocalFilesOptions {
  /** Outputs are written only here. */
  outDir?: string;
  /**
   * Files never removed however a lock names them (relative to the manifest's folder): the
   * manifest files and the local references they read.
   */
  keep?: ReadonlySet<string>;
}

/** Larger than any output pixlock writes (a lossless 8192×8192 RGBA image is 256 MiB raw). */
const OUTPUT_MAX_BYTES = 256 * 1024 * 1024;

/**
 * The project's files on the local disk: temporary files, outputs and the lock. Outputs and
 * the lock are written to `.pixlock/tmp/`, every byte checked, fsynced and renamed into place
 * (write-file-atomically.ts): a kill at any instant leaves either the old or the new file, and
 * a full disk leaves no temporary file. A full or failing disk is a DISK_FULL / DISK_ERROR
 * naming the file (disk-error.ts).
 *
 * Every path is checked before it is written or deleted: outputs only inside `outDir` (when
 * given), pixlock's own files only inside `.pixlock/`, nothing through a symlink
 * (safe-folders.ts). Working folders deleted mid-run are made again.
 */
export function localFiles(paths: ProjectPaths, options: LocalFilesOptions = {}): LocalFiles {
  const { dir } = paths;
  const safe = new SafeFolders(dir);
  const outputPath = (rel: string, create: boolean) => {
    const problem =
      checkLockPath(rel, PIXLOCK_DIR) ??
      (options.outDir === undefined || isInsideFolder(rel, options.outDir)
        ? undefined
        : `${rel} is outside outDir (${options.outDir})`);
    if (problem) throw new PixlockError('PATH_UNSAFE', `refusing to write or delete ${problem}`);
    return safe.resolve(rel, create);
  };
  // An output an earlier outDir holds (lock-containment.ts): only ever read or removed, and
  // only through real folders, never in .git or pixlock's own folder, never a file the
  // manifest reads. Undefined when it may not be touched (or is not there).
  const oldOutputPath = (rel: string): string | undefined => {
    if (checkLockPath(rel, PIXLOCK_DIR) || rel.split('/').includes('.git')) return undefined;
    if (options.keep?.has(rel)) return undefined;
    try {
      return safe.resolve(rel, false);
    } catch (error) {
      // A link on the way: whatever is behind it is not ours.
      if (isPixlockError(error, 'PATH_UNSAFE')) return undefined;
      throw error;
    }
  };
  /** The bytes at `rel` when it is a regular file holding exactly `sha256`. */
  const verified = async (rel: string, sha256: string): Promise<Buffer | undefined> => {
    const file = oldOutputPath(rel);
    const stat = file ? lstatSync(file, { throwIfNoEntry: false }) : undefined;
    // Not read whole when no output of pixlock's could be that large (a lock can name any file).
    if (!file || !stat?.isFile() || stat.size > OUTPUT_MAX_BYTES) return undefined;
    const bytes = await readFile(file).catch(() => undefined);
    return bytes && sha256Of(bytes) === sha256 ? bytes : undefined;
  };
  // A working folder deleted mid-run (`rm -rf .pixlock`) is made again: every call checks
  // every folder (safe-folders.ts).
  const temp = (suffix: string) =>
    safe.resolve(
      `${TMP_DIR}/${Date.now().toString(36)}-${randomBytes(6).toString('hex')}${suffix}`,
      true,
    )!;
  return {
    temps: {
      tempPath: temp,
      async writeTemp(p, data) {
        // A fresh name in pixlock's own folder: `wx`, so nothing already there is written through.
        await writeFile(p, data, { flag: 'wx' });
      },
      readTemp(p) {
        return readFile(p);
      },
      async removeTemp(p) {
        await rm(p, { force: true });
      },
    },
    outputs: {
      async writeOutput(relPath, data) {
        // Written in .pixlock/tmp/ (emptied at the start of every run) and renamed into place,
        // so a process killed mid-write leaves no stray temp file beside the outputs.
        const write = () => writeFileAtomically(outputPath(relPath, true)!, data, temp('.out'));
        try {
          await write();
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
          // A folder was deleted meanwhile: make it again, once.
          await write();
        }
      },
      async readOutput(relPath, sha256) {
        return verified(relPath, sha256);
      },
      async removeOutput(relPath, sha256) {
        if (sha256 === undefined) {
          const file = outputPath(relPath, false);
          if (file) await rm(file, { force: true });
          return true;
        }
        // Checked, then removed: a file swapped in between by another process on this machine
        // is beyond what a lock can do.
        if (!(await verified(relPath, sha256))) return false;
        await rm(oldOutputPath(relPath)!, { force: true });
        return true;
      },
      async removeEmptyFolders(removedFiles, stopAt) {
        const removed: string[] = [];
        const stop = stopAt ?? options.outDir ?? '.';
        const folders = new Set<string>();
        for (const f of removedFiles) {
          for (let d = f.slice(0, f.lastIndexOf('/')); d && d !== stop;) {
            if (!isInsideFolder(d, stop)) break;
            folders.add(d);
            const cut = d.lastIndexOf('/');
            d = cut < 0 ? '' : d.slice(0, cut);
          }
        }
        // Deepest first, so a parent is tried after its children.
        for (const d of [...folders].sort((a, b) => b.length - a.length)) {
          const abs = oldOutputPath(`${d}/x`);
          if (!abs) continue;
          try {
            await rmdir(abs.slice(0, -2));
            removed.push(d);
          } catch {
            // Not empty (or gone): keep it.
          }
        }
        return removed;
      },
    },
    lock: {
      async writeLock(text) {
        const file = safe.resolve(paths.lockFile.slice(dir.length + 1), false);
        await writeFileAtomically(file ?? paths.lockFile, text, temp('.lock'));
      },
    },
  };
}

/**
 * Creates the temporary folder a run downloads into (and clears what a killed run left),
 * refusing a `.pixlock/` that is a symlink: clearing through it would delete files elsewhere.
 */
export async function prepareTempDir(paths: ProjectPaths): Promise<void> {
  const safe = new SafeFolders(paths.dir);
  safe.resolve(`${TMP_DIR}/x`, true);
  await rm(paths.tmpDir, { recursive: true, force: true });
  safe.resolve(`${TMP_DIR}/x`, true);
}
