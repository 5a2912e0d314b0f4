import { AdaptiveLimit } from '../engine/adaptive-limit.js';
import { accountShare } from './account-share.js';

/**
 * The provider limit of one shard of `tasks.length` that share one account: it starts at the
 * shard's share (account-share.ts) without probing above it, and raises the target as the
 * schedule says other shards end. A raise the account refuses (a 429: that shard was late)
 * is tried again one round of our own tasks later, then two, four…, so an account smaller
 * than the schedule thinks costs a few 429s, not one per task.
 */
export function sharedAccountLimit(
  concurrency: number,
  tasks: readonly number[],
  index: number,
): AdaptiveLimit {
  const share = accountShare(tasks, index, concurrency);
  let ended = 0;
  let raisedTo = Math.min(concurrency, share.initial);
  let raisedAt = 0;
  let gap = 1;
  const limit: AdaptiveLimit = new AdaptiveLimit(concurrency, {
    initial: raisedTo,
    rampUp: false,
    onTaskEnd: () => {
      ended++;
      const due = Math.min(concurrency, share.at(ended));
      if (due > raisedTo) {
        // A new step of the schedule: another shard is predicted to have ended.
        raisedTo = due;
        raisedAt = ended;
        gap = 1;
        limit.raiseTo(due);
      } else if (limit.target < raisedTo && ended - raisedAt >= gap * raisedTo) {
        // The last raise met a 429: try again, less and less often.
        raisedAt = ended;
        gap *= 2;
        limit.raiseTo(raisedTo);
      }
    },
  });
  return limit;
}
