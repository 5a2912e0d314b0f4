import { lstatSync } from 'node:fs';
import path from 'node:path';
import { projectFoldersSafe } from '../../disk/check-project-folders.js';
import { journalFiles, projectPaths } from '../../disk/project-paths.js';
import { CACHE_FILES } from './cache-files.js';
import { CacheSession } from './cache-session.js';
import type { FileStamp } from './hash-cache.js';
import { lockCacheKey } from './lock-cache.js';
import { PIXLOCK_VERSION, witnessHolds, type ManifestWitness } from './manifest-cache.js';
import type { Plan } from '../../plan/plan-types.js';
import { cachedPlan } from './plan-cache.js';

/** The record's name in `.pixlock/cache/`. */
export const UP_TO_DATE_FILE = CACHE_FILES.upToDate;

/** Bumped when the record's shape or what it vouches for changes. */
export const UP_TO_DATE_REVISION = 2;

/**
 * The note a run that found nothing to do leaves in `.pixlock/cache/` (never committed): every
 * input of that plan by identity. While each still holds, the plan is the same, and a no-op
 * costs one `lstat` per output instead of reading, checking and planning the project.
 */
export interface UpToDateRecord {
  revision: number;
  /** pixlock's version. */
  version: string;
  /** The manifest's absolute path. */
  file: string;
  /** Every manifest file, the repository root, outDir, references and include matches. */
  manifest: ManifestWitness;
  /** The lock's stat key (see parsed-lock-cache.ts), taken before it was read, and outDir. */
  lock: string;
  outDir: string;
  /** Each locked output (relative path), as [path] when it was missing. */
  outputs: ([string, ...FileStamp] | [string])[];
  /** The key of the plan kept in plan.json (see plan-cache.ts). */
  planKey: string;
  /** sha256 of the type declarations this manifest gives (pixlock-env.d.ts). */
  declarations: string;
}

/** A plan known to be current without reading the project, and what else the record vouches for. */
export interface UpToDate {
  plan: Plan;
  /** sha256 of the type declarations the manifest gives. */
  declarations: string;
}

/**
 * The plan of a project that has not changed since a run found nothing to do in it, or
 * undefined (and the caller reads and plans the project in full). Only plans without options
 * are recorded. Any doubt is a miss: no record or a foreign one, a manifest file, reference,
 * include match or outDir that is not what it was, a lock that is not the same file, a journal
 * a killed run left, or any output whose `lstat` differs. The originals store is not asked: a
 * plan with nothing to do needs no original.
 */
export async function upToDate(configFile: string): Promise<UpToDate | undefined> {
  const file = path.resolve(configFile);
  const paths = projectPaths(file);
  // A link where a folder of pixlock's is: the full read says so (check-project-folders.ts).
  if (!projectFoldersSafe(paths.dir)) return undefined;
  // Read only: a no-op answered here writes nothing at all.
  const cache = new CacheSession(paths.cacheDir);
  let record: UpToDateRecord;
  try {
    const text = await cache.read(UP_TO_DATE_FILE);
    record = JSON.parse(text ?? '') as UpToDateRecord;
  } catch {
    return undefined;
  }
  if (
    record?.revision !== UP_TO_DATE_REVISION ||
    record.version !== PIXLOCK_VERSION ||
    record.file !== file ||
    typeof record.outDir !== 'string' ||
    typeof record.planKey !== 'string' ||
    typeof record.declarations !== 'string' ||
    !Array.isArray(record.outputs)
  )
    return undefined;
  // A journal is what a killed run left: the lock read is then not the lock planned from.
  for (const j of journalFiles(paths))
    if (lstatSync(j, { throwIfNoEntry: false })) return undefined;
  // Objects an earlier run could not push to the store: the next run pushes them first.
  if (lstatSync(paths.pushJournal, { throwIfNoEntry: false })) return undefined;
  const lockKey = await lockCacheKey(paths.lockFile, record.outDir).catch(() => undefined);
  if (lockKey === undefined || lockKey !== record.lock) return undefined;
  // Loaded only for a manifest with `include` globs.
  const globAgain = async (...args: [string[], string, string]) =>
    (await import('../../manifest/glob-includes.js')).globIncludesAgain(file)(...args);
  if (!(await witnessHolds(record.manifest, file, globAgain, { contents: false })))
    return undefined;
  // Output folders swapped for links (to the very same files, moved): not the folders planned.
  if (!projectFoldersSafe(paths.dir, outputFolders(record))) return undefined;
  if (!outputsHold(record.outputs, paths.dir + path.sep)) return undefined;
  // Made with no answer of the originals store (see remember-up-to-date.ts): none to ask.
  const cached = await cachedPlan(cache, record.planKey, undefined);
  return cached && { plan: cached.plan, declarations: record.declarations };
}

/** outDir and the folder of every output the record names. */
function outputFolders(record: UpToDateRecord): Set<string> {
  const folders = new Set([record.outDir]);
  for (const o of record.outputs) {
    const cut = typeof o?.[0] === 'string' ? o[0].lastIndexOf('/') : -1;
    if (cut > 0) folders.add(o[0].slice(0, cut));
  }
  return folders;
}

/** True when every output is still the file it was (or still missing). */
function outputsHold(outputs: UpToDateRecord['outputs'], root: string): boolean {
  for (const o of outputs) {
    if (!Array.isArray(o) || typeof o[0] !== 'string') return false;
    // Without following a symlink, as observe-disk.ts looks at outputs.
    const s = lstatSync(root + o[0], { throwIfNoEntry: false });
    if (o.length === 1) {
      if (s?.isFile()) return false;
      continue;
    }
    if (
      !s?.isFile() ||
      s.size !== o[1] ||
      s.mtimeMs !== o[2] ||
      s.ino !== o[3] ||
      s.ctimeMs !== o[4]
    )
      return false;
  }
  return true;
}
