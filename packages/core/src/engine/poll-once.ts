import { isPixlockError } from '../errors.js';
import type { FinalStatus, GenerationRequest } from '../providers/image-provider.js';
import { startDeadline } from '../util/deadline.js';
import type { RunContext } from './run-context.js';

/**
 * Asks once how a recorded task is doing, for a run that does not wait (`--no-wait`): its
 * end, or undefined while it runs or when the answer was a transient fault (a later run asks
 * again). A definite end of the task (failed, lost, a lying answer) and a refused key are
 * thrown as `pollTask` throws them; the call is bounded by the provider's poll interval.
 */
export async function pollOnce(
  ctx: RunContext,
  taskId: string,
  request: GenerationRequest,
): Promise<FinalStatus | undefined> {
  const deadline = startDeadline(
    ctx.clock,
    Math.max(ctx.provider.pollIntervalMs, 30_000),
    ctx.signal,
  );
  try {
    const status = await ctx.provider.pollTask(taskId, request, { signal: deadline.signal });
    return status.state === 'pending' ? undefined : status;
  } catch (error) {
    if (isPixlockError(error, 'PROVIDER_TASK_FAILED', 'PROVIDER_TASK_LOST', 'PROVIDER_PROTOCOL'))
      throw error;
    if (isPixlockError(error, 'USAGE', 'PROVIDER_AUTH')) {
      ctx.stop ??= error;
      throw error;
    }
    if (ctx.signal.aborted) throw error;
    return undefined;
  } finally {
    deadline.cancel();
  }
}
