import path from 'node:path';
import { PIXLOCK_DIR, TMP_DIR } from '../disk/project-paths.js';
import type { ShardSpec } from './shard-spec.js';

/** `pixlock.shard-<i>-of-<n>.lock`: the name a shard's lock has, and only it. */
export const SHARD_LOCK_NAME = /^pixlock\.shard-([1-9]\d{0,2})-of-([1-9]\d{0,2})\.lock$/;

/** The file name of shard `spec`'s lock. */
export function shardLockName(spec: ShardSpec): string {
  return `pixlock.shard-${spec.index}-of-${spec.total}.lock`;
}

/**
 * Where a shard run keeps its own state in the project folder `dir`: its lock beside the
 * manifest, its journal (its own: a shard killed with kill -9 replays its own tasks, never
 * another's), its run mutex and the room it keeps for task ids on a full disk. Two shards can
 * work in one folder at once; nothing of one is the other's.
 */
export function shardPaths(dir: string, spec: ShardSpec) {
  const name = `shard-${spec.index}-of-${spec.total}`;
  return {
    lockFile: path.join(dir, shardLockName(spec)),
    journal: path.join(dir, PIXLOCK_DIR, `journal-${name}.jsonl`),
    journalOld: path.join(dir, PIXLOCK_DIR, `journal-${name}.jsonl.old`),
    /** Its run mutex (run-mutex.ts): a folder `<this>.lock` while the shard runs. */
    runLock: path.join(dir, `.pixlock-run-${name}`),
    reserve: path.join(dir, TMP_DIR, `reserve-${name}`),
    /** With a store: what its run has not pushed yet (push-journal.ts), its own. */
    pushJournal: path.join(dir, PIXLOCK_DIR, `unpushed-${name}.jsonl`),
    /** With a store: this runner's id in the shard's claim, so its own reruns keep the claim. */
    runner: path.join(dir, PIXLOCK_DIR, `runner-${name}`),
  };
}
