import { outputFolderOf, outputPathIn } from '../lock/output-path.js';
import type { LockEntry } from '../lock/lockfile.js';
import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import type { Observed, OutputMove } from './plan-types.js';

/** What {@link planMove} found. */
export interface MovePlan {
  moves: OutputMove[];
  /** Locked outputs found neither where the lock has them nor in the new outDir. */
  missing: string[];
  /** "outDir changed: old → new". */
  changed: string;
}

/**
 * When an image's locked outputs are exactly the files its options make, only in another
 * folder (the manifest's `outDir` changed since they were made): each output's move, and which
 * are found nowhere (to make again from the kept original). Undefined when the outputs differ
 * otherwise. Pure: `observed` holds the hash of each locked output and of its place in the new
 * outDir (project/observe-outputs.ts).
 */
export function planMove(
  id: string,
  locked: LockEntry['output']['files'],
  files: string[],
  manifest: ResolvedManifest,
  observed: Observed,
): MovePlan | undefined {
  const moves: OutputMove[] = [];
  const missing: string[] = [];
  for (let i = 0; i < files.length; i++) {
    const { path: from, sha256 } = locked[i]!;
    const to = files[i]!;
    if (outputPathIn(from, id, manifest.outDir) !== to) return undefined;
    moves.push({ from, to });
    if (observed.files.get(from) !== sha256 && observed.files.get(to) !== sha256)
      missing.push(from);
  }
  const folder = outputFolderOf(locked[0]!.path, id);
  return { moves, missing, changed: `outDir changed: ${folder} → ${manifest.outDir}` };
}
