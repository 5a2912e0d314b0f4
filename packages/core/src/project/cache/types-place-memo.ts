import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { projectTempPath } from '../../disk/project-temp-path.js';
import { readCacheText } from '../../disk/read-regular-file.js';
import { safeProjectPath } from '../../disk/safe-project-path.js';
import { writeFileAtomically } from '../../disk/write-file-atomically.js';
import { CACHE_FILES } from './cache-files.js';

// Where the last full run put the type declarations, and the tsconfig files that decided it: a
// no-op answers from it without parsing any tsconfig. Never committed.
const MEMO = path.join('.pixlock', 'cache', CACHE_FILES.typesPlace);

interface PlaceMemo {
  /** The declaration file, relative to the manifest's folder. */
  file: string;
  /** Each tsconfig that took part (and `tsconfig.json` beside the manifest) by identity. */
  inputs: [string, string][];
}

/**
 * Where the declarations of the manifest in `dir` went last time (absolute), while no tsconfig
 * that decided it has changed since; undefined at any doubt. Reads only `node:` modules, for
 * the CLI's no-op.
 */
export async function typesPlaceMemo(dir: string): Promise<string | undefined> {
  let memo: PlaceMemo;
  try {
    memo = JSON.parse((await readCacheText(path.join(dir, MEMO))) ?? '') as PlaceMemo;
  } catch {
    return undefined;
  }
  if (typeof memo?.file !== 'string' || !Array.isArray(memo.inputs)) return undefined;
  if (!memo.inputs.every((i) => Array.isArray(i) && identity(String(i[0])) === i[1]))
    return undefined;
  return path.join(dir, memo.file);
}

/**
 * Keeps where the declarations of the manifest in `dir` go (`file`, decided from the tsconfig
 * files `inputs`) for the next no-op. Called by a command that has done its work; only a
 * speed-up, so failures are ignored, and only in a project pixlock keeps files for.
 */
export async function rememberTypesPlace(
  dir: string,
  place: { file: string; inputs: readonly string[] },
): Promise<void> {
  // No cache folder: no up-to-date record either, so no no-op would read the memo.
  if (!existsSync(path.join(dir, path.dirname(MEMO)))) return;
  const inputs = [...new Set([path.join(dir, 'tsconfig.json'), ...place.inputs])];
  const memo: PlaceMemo = {
    file: path.relative(dir, place.file),
    inputs: inputs.map((f) => [f, identity(f)]),
  };
  const text = JSON.stringify(memo);
  if ((await readCacheText(path.join(dir, MEMO))) === text) return;
  try {
    // Through no symlink: `.pixlock/` in a checkout could point outside the project.
    const target = safeProjectPath(dir, path.join(dir, MEMO));
    await writeFileAtomically(target, text, projectTempPath(dir, '.json'));
  } catch {
    // The next no-op takes the full path.
  }
}

/** A file's identity: changed by any edit or replacement; `-` when it does not exist. */
function identity(file: string): string {
  const s = statSync(file, { throwIfNoEntry: false });
  return s ? `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}` : '-';
}
