import { errorMessage, isPixlockError, PixlockError } from '../errors.js';
import type { GenerationRequest, TaskOutput } from '../providers/image-provider.js';
import { backoff } from './backoff.js';
import { startDeadline } from './deadline.js';
import type { RunContext } from './run-context.js';

/** Longest wait between two polls after faults (the poll interval if that is longer). */
const POLL_BACKOFF_CAP_MS = 10_000;

/**
 * Polls a paid task until it ends. Every transient fault (5xx, a reset, a timeout, malformed
 * JSON, an HTML page, 429) is polled through with capped backoff until the provider's
 * `timeoutMs`, whose timer also cuts off a poll that hangs. Only a definite `fail` status or a
 * lost task (404) ends it otherwise; a timeout leaves the task recorded in the lock's
 * `pending`, and the next run resumes it instead of paying again.
 */
export async function pollTask(
  ctx: RunContext,
  taskId: string,
  request: GenerationRequest,
  /** Clock ms of the first poll: a task just created is not done at once (default: now). */
  firstPollAt?: number,
): Promise<{ output: TaskOutput; credits: number }> {
  const { timeoutMs, pollIntervalMs } = ctx.provider;
  const deadline = startDeadline(ctx.clock, timeoutMs, ctx.signal);
  // Timed from the create, not from when its lock write ended: that write's latency would
  // otherwise be added to every task's detection.
  // Later polls keep that cadence (the k-th at k intervals after the first) rather than
  // drifting by each poll's round trip, which would add up on every task.
  let nextAt = Math.max(firstPollAt ?? 0, ctx.clock.now().getTime());
  const firstWait = nextAt - ctx.clock.now().getTime();
  let faults = 0;
  let lastFault = '';
  try {
    if (firstWait > 0) {
      try {
        await ctx.clock.sleep(firstWait, deadline.signal);
      } catch (error) {
        if (!deadline.expired) throw error;
      }
    }
    for (;;) {
      let wait = pollIntervalMs;
      try {
        const status = await ctx.provider.pollTask(taskId, request, { signal: deadline.signal });
        if (status.state === 'success')
          return { output: status.output, credits: status.creditsUsed };
        if (status.state === 'failed') {
          throw new PixlockError(
            'PROVIDER_TASK_FAILED',
            `task ${taskId} failed: ${status.message}`,
            {
              details: { taskId, ...(status.code !== undefined && { providerCode: status.code }) },
            },
          );
        }
        faults = 0;
        nextAt += pollIntervalMs;
        wait = Math.max(0, nextAt - ctx.clock.now().getTime());
      } catch (error) {
        // A protocol error (a lying answer, e.g. negative credits) is not transient: polling
        // again would only repeat it. The task stays recorded in `pending` for a later run.
        if (
          isPixlockError(error, 'PROVIDER_TASK_FAILED', 'PROVIDER_TASK_LOST', 'PROVIDER_PROTOCOL')
        )
          throw error;
        if (isPixlockError(error, 'USAGE')) {
          // A key that cannot be sent: nothing went out, and nothing later will fare better.
          ctx.stop ??= error;
          throw error;
        }
        if (isPixlockError(error, 'PROVIDER_AUTH')) {
          ctx.stop ??= error;
          throw error;
        }
        if (ctx.signal.aborted) throw error;
        if (!deadline.expired) {
          lastFault = errorMessage(error);
          faults++;
          ctx.emit({
            type: 'retry',
            id: request.id,
            what: 'poll',
            attempt: faults,
            message: lastFault,
          });
          const told = isPixlockError(error) ? error.extra.retryAfterMs : undefined;
          wait = Math.max(
            pollIntervalMs,
            told ?? backoff(faults - 1, 500, POLL_BACKOFF_CAP_MS, ctx.random),
          );
          nextAt = ctx.clock.now().getTime() + wait;
        }
      }
      if (!deadline.expired) {
        try {
          await ctx.clock.sleep(wait, deadline.signal);
        } catch (error) {
          if (!deadline.expired) throw error;
        }
      }
      if (deadline.expired) {
        const last = lastFault ? ` (last fault: ${lastFault})` : '';
        throw new PixlockError(
          'PROVIDER_TIMEOUT',
          `task ${taskId} did not finish within ${Math.round(timeoutMs / 1000)} s${last}; it stays recorded and the next run resumes it`,
          { details: { taskId } },
        );
      }
    }
  } finally {
    deadline.cancel();
  }
}
