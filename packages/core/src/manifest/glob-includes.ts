import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import type { Diagnostic } from '../errors.js';
import { isInside, repositoryRoot, resolveReal } from '../disk/repository-root.js';
import type { SourceLinks } from '../sources/file-source.js';
import type { Position } from '../util/yaml-locator.js';

/**
 * The files an `include` names, each once (by real path, so one file matched by two patterns, or
 * by a link and its target, is one file), without the main manifest. A pattern whose fixed part
 * leaves the repository is refused before any folder is listed; a match that is a link to a file
 * outside it is refused and never read. Symlinked folders are not walked into.
 */
export async function globIncludes(
  patterns: readonly string[],
  manifest: { file: string; dir: string; realFile: string },
  root: string,
  links: SourceLinks,
  locate: (path: (string | number)[]) => Position,
): Promise<{ files: string[]; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const problem = (i: number, message: string) => {
    const { line, column } = locate(['include', i]);
    diagnostics.push({ file: manifest.file, path: ['include', i], line, column, message });
  };
  const seen = new Set<string>([manifest.realFile]);
  const files: string[] = [];
  // fast-glob is loaded only here: it costs ~35 ms to load.
  const { default: fg } = await import('fast-glob');
  for (const [i, pattern] of patterns.entries()) {
    const base = picomatch.scan(pattern).base;
    if (
      path.isAbsolute(pattern) ||
      !isInside(root, await links.resolve(path.resolve(manifest.dir, base)))
    ) {
      problem(
        i,
        `include "${pattern}" reaches outside the repository (${root}); pixlock reads only files inside it`,
      );
      continue;
    }
    const matches = await fg(pattern, {
      cwd: manifest.dir,
      absolute: true,
      followSymbolicLinks: false,
      // Links are listed too (as entries, not followed) so one that leads out is reported.
      onlyFiles: false,
      ignore: ['**/node_modules/**'],
    });
    for (const match of matches.sort()) {
      // A match that leads nowhere (a dangling link) is no file to read.
      const real = await realpath(match).catch(() => undefined);
      if (real === undefined) continue;
      if (!isInside(root, real)) {
        problem(
          i,
          `include "${pattern}" matches ${path.relative(manifest.dir, match)}, a link to a file outside the repository; it is not read`,
        );
        continue;
      }
      if (!(await stat(real)).isFile()) continue;
      if (seen.has(real)) continue;
      seen.add(real);
      files.push(match);
    }
  }
  return { files, diagnostics };
}

/**
 * Lists again the files a manifest's `include` patterns match, for a cache checking that they
 * still match the same files: sorted, or undefined when the patterns now report a problem.
 */
export function globIncludesAgain(mainFile: string) {
  return async (patterns: string[], root: string, realFile: string) => {
    const dir = path.dirname(mainFile);
    const links = { resolve: resolveReal, repositoryRoot };
    const found = await globIncludes(
      patterns,
      { file: mainFile, dir, realFile },
      root,
      links,
      () => ({
        line: 1,
        column: 1,
      }),
    );
    return found.diagnostics.length > 0 ? undefined : found.files.sort();
  };
}
