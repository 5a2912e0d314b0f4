/**
 * Where project files are read from: the working tree, or a git commit. The manifest loader
 * and the review read only through this port, so `pixlock review` can load the base's manifest
 * (and the files it includes) as they were at a git ref, without checking anything out, and a
 * test can hand in a source of its own.
 *
 * Paths are absolute, in the working tree's terms: a git source maps them onto the commit's tree
 * by their place under the repository's top folder.
 */
export interface FileSource {
  /** Says where files come from in messages: `the working tree`, `git ref origin/main (1a2b3c4)`. */
  readonly description: string;
  /**
   * The bytes of a file. Rejects with an error whose `code` is `ENOENT` when there is none. On
   * a file system a link at the last component is followed (a manifest may be one: the loader
   * checks where it really leads, with {@link FileSource.links}).
   */
  readFile(file: string): Promise<Buffer>;
  /**
   * The bytes of `file` when it is a regular file reached through no link at its last
   * component; undefined when it is missing, not a regular file, or a link (a link committed in
   * a pull request must not copy a file from elsewhere into a report).
   */
  readPlainFile(file: string): Promise<Buffer | undefined>;
  /** Whether a regular file is there. */
  exists(file: string): Promise<boolean>;
  /**
   * Files matching any of `patterns` (globs relative to `cwd`), absolute, sorted, each once.
   * Never descends into `node_modules`; never returns symlinks' targets outside the source.
   */
  glob(patterns: readonly string[], cwd: string): Promise<string[]>;
  /**
   * Set for a source on a file system, where a path may be a link leading anywhere (the
   * working tree): what the loader needs to hold everything a manifest names inside its
   * repository. Undefined for a source with no links that serves only its own paths (a git
   * tree): nothing read from it can lead out.
   */
  readonly links?: SourceLinks;
}

/** How a source with links tells where a path really leads. */
export interface SourceLinks {
  /**
   * Where `file` really is: its realpath, or for a path that does not exist yet, the realpath
   * of its nearest existing ancestor with the rest appended.
   */
  resolve(file: string): Promise<string>;
  /**
   * The folder nothing a manifest in `dir` names may reach past: the nearest ancestor holding
   * `.git` (links resolved), else `dir` itself.
   */
  repositoryRoot(dir: string): Promise<string>;
}

/** The error a source rejects with for a missing file, shaped like node's. */
export function fileNotFound(file: string, where: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`no file ${file} in ${where}`);
  error.code = 'ENOENT';
  return error;
}
