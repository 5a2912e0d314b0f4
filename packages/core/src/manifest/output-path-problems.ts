import path from 'node:path';
import type { Diagnostic } from '../errors.js';
import { PIXLOCK_DIR } from '../disk/project-paths.js';
import { checkLockPath } from '../lock/lock-path.js';
import { outputFiles } from './output-files.js';
import type { ResolvedManifest } from './resolved-manifest.js';

/** Bytes in one file or folder name on every common file system (ext4, APFS, NTFS). */
export const NAME_MAX = 255;

/**
 * Bytes in a whole path the system takes (with its terminating NUL): PATH_MAX on Linux,
 * 1024 on macOS, MAX_PATH on Windows (where git and most tools still keep to it).
 */
export function pathMax(platform: NodeJS.Platform = process.platform): number {
  return platform === 'darwin' ? 1024 : platform === 'win32' ? 260 : 4096;
}

// Names Windows reserves for devices, with any extension: a checkout there cannot hold them.
const RESERVED = /^(con|prn|aux|nul|com[1-9¹²³]|lpt[1-9¹²³])(\..*)?$/i;
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[<>:"|?*\u0000-\u001f]/;

type Locate = (
  file: string,
  p: (string | number)[],
  key?: boolean,
) => { line: number; column: number };

/**
 * Every limit a file system or a checkout puts on an output path, found before anything is
 * spent: a name over {@link NAME_MAX} bytes, a whole path over the platform's {@link pathMax}
 * (or over the 1024 characters a lock records), a drive or a colon in outDir (`C:/x`), and
 * names a Windows checkout cannot hold (CON, NUL, COM1…; a trailing dot or space; `<>:"|?*`).
 * The longest name an image can write is checked: `<id>-<widest width>.<ext>` for each format,
 * before any clamp to the original. A problem of outDir is reported once, at its line; one of
 * an image, at its id.
 */
export function outputPathProblems(manifest: ResolvedManifest, locate: Locate): Diagnostic[] {
  const at = (file: string, p: (string | number)[], message: string): Diagnostic => ({
    file,
    path: p,
    ...locate(file, p, p.length === 2),
    message,
  });
  const outDirProblem = nameProblems(manifest.outDir.split('/').filter((s) => s !== '.'))[0];
  if (outDirProblem)
    return [at(manifest.file, ['outDir'], `outDir "${manifest.outDir}": ${outDirProblem}`)];
  const max = pathMax();
  const diagnostics: Diagnostic[] = [];
  for (const image of manifest.images) {
    const problem = imagePathProblem(manifest, image, max);
    if (problem) diagnostics.push(at(image.sourceFile, ['images', image.id], problem));
  }
  return diagnostics;
}

function imagePathProblem(
  manifest: ResolvedManifest,
  image: ResolvedManifest['images'][number],
  max: number,
): string | undefined {
  const files = outputFiles(manifest.outDir, image.id, image.output);
  // The longest first: the one a limit is met by.
  const longest = files.reduce((a, b) =>
    Buffer.byteLength(b.path) > Buffer.byteLength(a.path) ? b : a,
  );
  const name = (p: string) => `image "${short(image.id)}" would write ${short(p)}`;
  const lockProblem = checkLockPath(longest.path, PIXLOCK_DIR);
  if (lockProblem) {
    return longest.path.length > 1024
      ? `${name(longest.path)}, a path of ${longest.path.length} characters; a lock records paths of at most 1024: use a shorter id (fewer or shorter folders)`
      : `${name(longest.path)}: ${lockProblem}`;
  }
  for (const f of files) {
    const problem = nameProblems(f.path.split('/'))[0];
    if (problem) return `${name(f.path)}: ${problem}`;
  }
  const absolute = path.join(manifest.dir, longest.path);
  const bytes = Buffer.byteLength(absolute);
  if (bytes >= max) {
    return `${name(longest.path)}, ${bytes} bytes from the root with the project's folder; this system takes paths of at most ${max - 1}: use a shorter id`;
  }
  return undefined;
}

/** What is wrong with each name of a path, for a file system or a checkout. */
function nameProblems(names: string[]): string[] {
  const problems: string[] = [];
  for (const n of names) {
    const bytes = Buffer.byteLength(n);
    if (bytes > NAME_MAX)
      problems.push(
        `the name "${short(n)}" is ${bytes} bytes; file systems take at most ${NAME_MAX} per name`,
      );
    else if (/^[a-zA-Z]:$/.test(n))
      problems.push(`"${n}" is a drive; outDir is a folder relative to the manifest`);
    else if (FORBIDDEN.test(n))
      problems.push(
        `the name "${short(n)}" holds a character Windows cannot hold in a name (<>:"|?* or a control character)`,
      );
    else if (RESERVED.test(n))
      problems.push(
        `"${n}" is a device name on Windows (CON, PRN, AUX, NUL, COM1-9, LPT1-9), which a checkout there cannot hold`,
      );
    else if (/[. ]$/.test(n) && n !== '.' && n !== '..')
      problems.push(
        `the name "${short(n)}" ends with a dot or a space, which a checkout on Windows drops`,
      );
  }
  return problems;
}

/** A long name or path cut for a message. */
function short(s: string): string {
  return s.length <= 80 ? s : `${s.slice(0, 40)}…${s.slice(-30)} (${s.length} characters)`;
}
