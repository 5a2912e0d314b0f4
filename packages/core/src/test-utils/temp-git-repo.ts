import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A throwaway git repository for tests. */
export interface TempGitRepo {
  dir: string;
  write(rel: string, content: string | Buffer): Promise<void>;
  /** Runs git in the repository and returns its trimmed output. */
  git(...args: string[]): string;
  /** Adds everything and commits; returns the commit hash. */
  commit(message: string): string;
  cleanup(): Promise<void>;
}

/** Creates an empty repository in a temp folder, with an identity so commits work anywhere. */
export async function tempGitRepo(): Promise<TempGitRepo> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-git-'));
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'test');
  git('config', 'commit.gpgsign', 'false');
  return {
    dir,
    git,
    async write(rel, content) {
      await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await writeFile(path.join(dir, rel), content);
    },
    commit(message) {
      git('add', '-A');
      git('commit', '-q', '-m', message);
      return git('rev-parse', 'HEAD');
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
