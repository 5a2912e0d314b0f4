import { lstatSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { TYPE_DECLARATIONS_FILE } from './type-declarations.js';

/** Where the type declarations go, and why. */
export interface DeclarationsPlace {
  /** Absolute path of the declaration file. */
  file: string;
  /**
   * The tsconfig whose program already includes that path, or undefined when none found
   * does (no tsconfig, or none that looks there: the file goes beside the manifest).
   */
  project?: string;
  /** Every tsconfig file read to decide, for a caller that remembers the decision. */
  inputs: string[];
}

/** One parsed tsconfig, as tsconfck gives it (include, exclude and files already merged). */
interface ParsedConfig {
  tsconfigFile: string;
  tsconfig: { include?: unknown; exclude?: unknown; files?: unknown; references?: unknown };
  extended?: { tsconfigFile: string }[];
  referenced?: ParsedConfig[];
}

/**
 * Where `pixlock-env.d.ts` goes so that the app's TypeScript project already includes it, with
 * no edit to a tsconfig: beside the manifest when a project includes that (the place it has
 * always had), else in the first folder a project's `include` names, inside the manifest's
 * folder (`src/` in every create-vite template: `include: ["src"]` or `src/**\/*.ts`, in
 * tsconfig.json or, for solution-style configs, in the tsconfig.app.json it references).
 * The tsconfig is the one TypeScript would find for the manifest's folder. With none, or none
 * that includes a candidate, the file goes beside the manifest as before.
 */
export async function typeDeclarationsPlace(dir: string): Promise<DeclarationsPlace> {
  const beside = path.join(dir, TYPE_DECLARATIONS_FILE);
  const { find, parse } = await import('tsconfck');
  const found = await find(path.join(dir, TYPE_DECLARATIONS_FILE)).catch(() => null);
  if (!found) return { file: beside, inputs: [] };
  let root: ParsedConfig;
  try {
    root = (await parse(found)) as ParsedConfig;
  } catch {
    // A tsconfig TypeScript would reject too: the old place, and tsc will say what is wrong.
    return { file: beside, inputs: [found] };
  }
  const projects = [root, ...(root.referenced ?? [])];
  const inputs = [
    ...new Set(
      projects.flatMap((p) => [p.tsconfigFile, ...(p.extended ?? []).map((e) => e.tsconfigFile)]),
    ),
  ];
  const candidates = [beside, ...includeFolders(projects, dir)];
  for (const file of candidates) {
    const project = projects.find((p) => includes(p, file));
    if (project) return { file, project: project.tsconfigFile, inputs };
  }
  return { file: beside, inputs };
}

/** `<folder>/pixlock-env.d.ts` for the fixed part of every include pattern inside `dir`. */
function includeFolders(projects: ParsedConfig[], dir: string): string[] {
  const files: string[] = [];
  for (const p of projects) {
    const base = path.dirname(p.tsconfigFile);
    for (const pattern of strings(p.tsconfig.include)) {
      const fixed = picomatch.scan(pattern).base || '.';
      const folder = path.resolve(base, fixed);
      // A pattern naming a file (`vite.config.ts`) names no folder to write into.
      const inside = path.relative(dir, folder);
      if (inside.startsWith('..') || path.isAbsolute(inside) || /\.[cm]?[jt]sx?$/.test(fixed)) {
        continue;
      }
      if (!plainFolder(dir, inside)) continue;
      files.push(path.join(folder, TYPE_DECLARATIONS_FILE));
    }
  }
  return [...new Set(files)];
}

/**
 * Whether TypeScript's program for `config` holds `file`: named in `files`, or matched by an
 * `include` pattern (a pattern without a wildcard or an extension is a folder, everything
 * under it) and by no `exclude` pattern. Without `include`, `**\/*` unless `files` is set.
 */
function includes(config: ParsedConfig, file: string): boolean {
  const base = path.dirname(config.tsconfigFile);
  const rel = path.relative(base, file).split(path.sep).join('/');
  if (rel.startsWith('..') || path.isAbsolute(rel)) return false;
  const files = strings(config.tsconfig.files).map((f) => path.resolve(base, f));
  if (files.includes(file)) return true;
  const include =
    config.tsconfig.include === undefined
      ? config.tsconfig.files === undefined
        ? ['**/*']
        : []
      : strings(config.tsconfig.include);
  const matches = (patterns: string[]) =>
    patterns.some((pattern) => {
      const p = path.posix.normalize(pattern.replace(/\\/g, '/')).replace(/^\.\//, '');
      const folder = !/[*?]/.test(p) && !/\.[^/]+$/.test(p);
      return picomatch.isMatch(rel, folder ? `${p === '.' ? '' : `${p}/`}**/*` : p, { dot: false });
    });
  return matches(include) && !matches(strings(config.tsconfig.exclude));
}

/**
 * True when `rel` below `dir` is a folder reached through no symlink: the declarations are
 * written through none (safeProjectPath refuses), so a linked `src/` is no place for them.
 */
function plainFolder(dir: string, rel: string): boolean {
  let at = dir;
  for (const part of rel.split(path.sep).filter(Boolean)) {
    at = path.join(at, part);
    const stat = lstatSync(at, { throwIfNoEntry: false });
    if (!stat?.isDirectory()) return false;
  }
  return true;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
