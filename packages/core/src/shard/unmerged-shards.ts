import { readdirSync } from 'node:fs';
import { PixlockError } from '../errors.js';
import { SHARD_LOCK_NAME } from './shard-paths.js';

/**
 * Refuses a whole run (`generate` without `--shard`) in a folder holding shard locks not yet
 * merged: what they record (images made, tasks paid for) is not in pixlock.lock, so the run
 * would pay for it all again. One readdir of the manifest's folder.
 */
export function refuseUnmergedShards(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => SHARD_LOCK_NAME.test(name));
  } catch {
    return;
  }
  if (names.length === 0) return;
  throw new PixlockError(
    'SHARDS_UNMERGED',
    `${names.sort().join(', ')} beside the manifest ${names.length === 1 ? 'is' : 'are'} not merged: what they record is not in pixlock.lock, and a whole run would pay for it again. ` +
      'Run "pixlock merge" (or "pixlock merge --partial" when shards are missing) first',
    { details: { files: names } },
  );
}
