/**
 * Where manifest files are read from: the working tree, or a git commit. The manifest loader
 * reads only through this port, so `pixlock review` can load the base's manifest (and the files
 * it includes) as they were at a git ref, without checking anything out.
 *
 * Paths are absolute, in the working tree's terms: a git source maps them onto the commit's tree
 * by their place under the repository's top folder.
 */
export interface FileSource {
  /** Says where files come from in messages: `the working tree`, `git ref origin/main (1a2b3c4)`. */
  readonly description: string;
  /** The bytes of a file. Rejects with an error whose `code` is `ENOENT` when there is none. */
  readFile(file: string): Promise<Buffer>;
  /** Whether a regular file is there. */
  exists(file: string): Promise<boolean>;
  /**
   * Files matching any of `patterns` (globs relative to `cwd`), absolute, sorted, each once.
   * Never descends into `node_modules`; never returns symlinks' targets outside the source.
   */
  glob(patterns: readonly string[], cwd: string): Promise<string[]>;
}

/** The error a source rejects with for a missing file, shaped like node's. */
export function fileNotFound(file: string, where: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`no file ${file} in ${where}`);
  error.code = 'ENOENT';
  return error;
}
