import path from 'node:path';
import picomatch from 'picomatch';
import { PixlockError } from '../errors.js';
import { fileNotFound, type FileSource } from './file-source.js';
import { runGit, type GitEnvironment } from './run-git.js';

/** A {@link FileSource} serving the tree of one git commit. */
export interface GitFileSource extends FileSource {
  /** The ref as the user gave it. */
  readonly ref: string;
  /** The full commit hash it names. */
  readonly commit: string;
  /** The working tree's path that stands for the repository's top folder. */
  readonly root: string;
}

/** Git's regular-file modes; links (120000) and submodules (160000) are never read. */
const FILE_MODES = new Set(['100644', '100755']);

/**
 * Serves the files of commit `ref` of the repository holding `dir`, without checking anything
 * out: `git ls-tree` lists the tree once, `git cat-file` reads a blob by the id that listing
 * gave. A path is read only when it is in that listing, so no path a manifest or lock names can
 * reach git as an option, a revision expression or a file outside the tree. Throws USAGE for a
 * ref that is not a commit, GIT_FAILED when `dir` is not in a repository or git is missing.
 * Git runs with `env` (default: the process's environment).
 */
export async function gitFileSource(
  dir: string,
  ref: string,
  env: GitEnvironment = process.env,
): Promise<GitFileSource> {
  checkRef(ref);
  const git = (args: readonly string[]) => runGit(dir, args, env);
  const prefix = (await git(['rev-parse', '--show-prefix'])).toString('utf8').trim();
  let commit: string;
  try {
    commit = (await git(['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`]))
      .toString('utf8')
      .trim();
  } catch (error) {
    throw new PixlockError('USAGE', `"${ref}" is not a commit in the repository at ${dir}`, {
      cause: error,
    });
  }
  // `dir` minus its place in the repository: paths keep the user's spelling (symlinks and all).
  const depth = prefix.split('/').filter(Boolean).length;
  const root = path.resolve(dir, ...Array<string>(depth).fill('..'));
  const blobs = await listTree(git, commit);
  const description = `git ref ${ref} (${commit.slice(0, 7)})`;

  const repoPath = (file: string): string | undefined => {
    const rel = path.relative(root, path.resolve(file));
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    return rel.split(path.sep).join('/');
  };
  return {
    ref,
    commit,
    root,
    description,
    async readFile(file) {
      const p = repoPath(file);
      const oid = p === undefined ? undefined : blobs.get(p);
      if (oid === undefined) throw fileNotFound(file, description);
      return git(['cat-file', 'blob', oid]);
    },
    async readPlainFile(file) {
      // A tree's listing holds regular files only: a link is never served.
      const p = repoPath(file);
      const oid = p === undefined ? undefined : blobs.get(p);
      return oid === undefined ? undefined : git(['cat-file', 'blob', oid]);
    },
    exists(file) {
      const p = repoPath(file);
      return Promise.resolve(p !== undefined && blobs.has(p));
    },
    glob(patterns, cwd) {
      // Patterns are made relative to the top folder (`../x/*` from `site` is `x/*`), so they
      // match the tree's own paths as fast-glob would match the disk's; one that climbs above
      // the top folder, or is absolute, matches nothing.
      const base = path.relative(root, path.resolve(cwd)).split(path.sep).join('/');
      const rooted = patterns
        .filter((p) => !path.posix.isAbsolute(p))
        .map((p) => path.posix.normalize(path.posix.join(base, p)))
        .filter((p) => !p.startsWith('../'));
      if (rooted.length === 0) return Promise.resolve([]);
      const isMatch = picomatch(rooted, { ignore: ['**/node_modules/**', 'node_modules/**'] });
      const out = [...blobs.keys()]
        .filter((p) => isMatch(p))
        .map((p) => path.join(root, ...p.split('/')));
      return Promise.resolve(out.sort());
    },
  };
}

/** Regular files of the commit's whole tree: repository path → blob id. */
async function listTree(
  git: (args: readonly string[]) => Promise<Buffer>,
  commit: string,
): Promise<Map<string, string>> {
  const out = await git(['ls-tree', '-r', '-z', '--full-tree', commit]);
  const blobs = new Map<string, string>();
  for (const record of out.toString('utf8').split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, oid] = record.slice(0, tab).split(' ');
    if (type === 'blob' && FILE_MODES.has(mode!) && oid) blobs.set(record.slice(tab + 1), oid);
  }
  return blobs;
}

/** A ref is a name or revision expression, never an option and never multi-line. */
function checkRef(ref: string): void {
  // eslint-disable-next-line no-control-regex
  if (ref === '' || ref.startsWith('-') || ref.length > 256 || /[\u0000-\u0020\u007f]/.test(ref)) {
    throw new PixlockError(
      'USAGE',
      `--base ${JSON.stringify(ref)} is not a git ref (expected a branch, tag or commit, e.g. origin/main)`,
    );
  }
}
