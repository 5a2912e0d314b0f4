import { errorMessage, isPixlockError, PixlockError } from '../errors.js';
import type { GenerationRequest } from '../providers/image-provider.js';
import { backoff } from '../util/backoff.js';
import { startDeadline, type Deadline } from '../util/deadline.js';
import { nextPollAt, type PollSchedule } from './poll-schedule.js';
import type { RunContext } from './run-context.js';
import { taskResult, type TaskResult } from './task-result.js';
import { densePollMs } from './task-durations.js';

/** Longest wait between two polls after faults (the poll interval if that is longer). */
const POLL_BACKOFF_CAP_MS = 10_000;

/**
 * Polls a paid task until it ends. Every transient fault (5xx, a reset, a timeout, malformed
 * JSON, an HTML page, 429) is polled through with capped backoff until the provider's
 * `timeoutMs`, whose timer also cuts off a poll that hangs. Only a definite `fail` status or a
 * lost task (404) ends it otherwise; a timeout leaves the task recorded in the lock's
 * `pending`, and the next run resumes it instead of paying again.
 *
 * A task created in this run is polled at the interval until shortly before the run's tasks
 * have been ending, then densely for one interval (see poll-schedule.ts): its slot is the
 * account's until a poll sees it done, so each ms between its end and that poll is lost.
 * Until one task has ended, one task (the scout) is polled every dense step instead.
 */
export async function pollTask(
  ctx: RunContext,
  taskId: string,
  request: GenerationRequest,
  /** Clock ms at which the provider accepted the task; undefined for one resumed from a lock. */
  acceptedAt?: number,
): Promise<TaskResult> {
  const { timeoutMs, pollIntervalMs } = ctx.provider;
  const deadline = startDeadline(ctx.clock, timeoutMs, ctx.signal);
  const now = () => ctx.clock.now().getTime();
  // Timed from the create, not from when its lock write ended: that write's latency would
  // otherwise be added to every task's detection. A resumed task may be done already.
  const start = acceptedAt ?? now();
  const firstAt = acceptedAt === undefined ? start : start + pollIntervalMs;
  let lastPollAt = -Infinity;
  let notBefore = 0;
  let faults = 0;
  let lastFault = '';
  const timedOut = () => {
    const last = lastFault ? ` (last fault: ${lastFault})` : '';
    return new PixlockError(
      'PROVIDER_TIMEOUT',
      `task ${taskId} did not finish within ${Math.round(timeoutMs / 1000)} s${last}; it stays recorded and the next run resumes it`,
      { details: { taskId } },
    );
  };
  try {
    for (;;) {
      const schedule = (): PollSchedule => {
        const offset = ctx.durations.windowOffset;
        if (offset === undefined && acceptedAt !== undefined && ctx.durations.scout(taskId)) {
          const step = densePollMs(pollIntervalMs);
          return { firstAt: start + step, intervalMs: step };
        }
        return {
          firstAt,
          intervalMs: pollIntervalMs,
          ...(offset !== undefined && { windowAt: start + offset }),
        };
      };
      if (
        !(await sleepUntilPoll(ctx, deadline, () =>
          Math.max(notBefore, nextPollAt(schedule(), lastPollAt)),
        ))
      )
        throw timedOut();
      lastPollAt = now();
      notBefore = 0;
      try {
        const status = await ctx.provider.pollTask(taskId, request, { signal: deadline.signal });
        if (status.state === 'success') {
          // The server's figure when it gives one; else an upper bound seen from here.
          const took =
            status.durationMs ?? (acceptedAt === undefined ? undefined : lastPollAt - acceptedAt);
          if (took !== undefined) ctx.durations.observe(took);
        }
        if (status.state !== 'pending') return taskResult(taskId, status);
        faults = 0;
      } catch (error) {
        // A protocol error (a lying answer, e.g. negative credits) is not transient: polling
        // again would only repeat it. The task stays recorded in `pending` for a later run.
        if (
          isPixlockError(error, 'PROVIDER_TASK_FAILED', 'PROVIDER_TASK_LOST', 'PROVIDER_PROTOCOL')
        )
          throw error;
        if (isPixlockError(error, 'USAGE', 'PROVIDER_AUTH')) {
          // A key refused or one that cannot be sent: nothing later will fare better.
          ctx.stop ??= error;
          throw error;
        }
        if (ctx.signal.aborted) throw error;
        if (deadline.expired) throw timedOut();
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
        notBefore =
          now() +
          Math.max(
            pollIntervalMs,
            told ?? backoff(faults - 1, 500, POLL_BACKOFF_CAP_MS, ctx.random),
          );
      }
    }
  } finally {
    ctx.durations.unscout(taskId);
    deadline.cancel();
  }
}

/**
 * Sleeps until the time `when()` gives, looking again whenever the run's task durations move
 * the window earlier. False when the deadline expired first; throws when the run aborts.
 */
async function sleepUntilPoll(
  ctx: RunContext,
  deadline: Deadline,
  when: () => number,
): Promise<boolean> {
  for (;;) {
    // A run stopped before this poll (its signal aborted while the task was being recorded)
    // polls no more: the task is in the lock, and the next run resumes it.
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (deadline.expired) return false;
    const wait = when() - ctx.clock.now().getTime();
    if (wait <= 0) return true;
    const changed = ctx.durations.changed;
    const wake = new AbortController();
    const onAbort = () => wake.abort();
    deadline.signal.addEventListener('abort', onAbort, { once: true });
    changed.addEventListener('abort', onAbort, { once: true });
    try {
      await ctx.clock.sleep(wait, wake.signal);
    } catch {
      if (ctx.signal.aborted) throw ctx.signal.reason;
    } finally {
      deadline.signal.removeEventListener('abort', onAbort);
      changed.removeEventListener('abort', onAbort);
    }
  }
}
