import { asDiskError } from '../disk/disk-error.js';
import { isPixlockError, type PixlockError } from '../errors.js';
import type { PendingTask } from '../lock/lockfile.js';
import { resumeToken } from '../lock/resume-token.js';
import { imageIdOf } from '../lock/task-key.js';
import type { FinalStatus, GenerationRequest } from '../providers/image-provider.js';
import type { Permit } from './adaptive-limit.js';
import { backoff } from '../util/backoff.js';
import type { RunContext } from './run-context.js';
import type { ImageResult } from './run-types.js';

/** A task the provider took, with the provider slot it holds until it ends. */
export interface CreatedTask {
  taskId: string;
  permit: Permit;
  /** When the provider accepted it (clock ms): polls are timed from here. */
  acceptedAt: number;
  /** A synchronous call's result: the task is over, there is nothing to poll. */
  finished?: FinalStatus;
  /**
   * Forgets the journal line of a synchronous call, once the image it drew is in the lock
   * or failed for good (a no-op for a task recorded in `pending`, whose line is settled).
   */
  settle(): void;
}

type NotCreated = Pick<ImageResult, 'outcome' | 'skipReason' | 'error'>;

/**
 * Creates a task once a provider slot is free and the budget allows it. The task is recorded
 * in the lock's `pending` before this returns, so a run that dies from here on resumes it
 * instead of paying again. A 429 gives the slot back and waits for one of this run's own
 * tasks to end (or, with none running, for the provider's `Retry-After`).
 */
export async function createTask(
  ctx: RunContext,
  request: GenerationRequest,
  price: number,
  pending: Omit<PendingTask, 'taskId' | 'createdAt' | 'credits'>,
): Promise<CreatedTask | NotCreated> {
  for (let attempt = 0; ; attempt++) {
    let permit: Permit;
    try {
      // Before the slot, so a create held back by the budget's scout holds no slot either.
      await ctx.budget.ready(price, ctx.signal);
      permit = await ctx.providerLimit.acquire(ctx.signal, ctx.priorityOf?.(request.id));
    } catch {
      return { outcome: 'interrupted' };
    }
    if (ctx.budget.mustWait(price)) {
      // Another create became the scout while this one waited for its slot.
      permit.release();
      attempt--;
      continue;
    }
    // Checked with the slot in hand: waiting for it may have taken long enough for the run to
    // stop or for reported costs to use the budget up.
    const refusal = refuse(ctx, price);
    if (refusal) {
      permit.release();
      return refusal;
    }
    const record = { ...pending, credits: price, createdAt: ctx.clock.now().toISOString() };
    // Noted before it is sent, settled once its outcome is in the lock: a run killed in
    // between leaves the note, and the next run holds the image (see create-journal.ts). A
    // provider that names its tasks records each name in `pending` before sending instead.
    const named = ctx.provider.capabilities.taskNames === 'client';
    const journaled = price > 0 && !named;
    if (journaled) {
      try {
        ctx.journal.sent(request.id, record);
      } catch (error) {
        // Not noted, so not sent: a create that a dying run could not account for must not
        // be paid for. A full disk stops every create after this one too.
        permit.release();
        ctx.budget.cancel(price);
        const disk = asDiskError(error);
        if (disk) ctx.stop ??= disk;
        throw disk ?? error;
      }
    }
    let recorded: string | undefined;
    const recordTask = async (name: string) => {
      await ctx.lock.setPending(request.id, { taskId: name, ...record });
      recorded = name;
    };
    let taskId: string;
    let finished: FinalStatus | undefined;
    try {
      // The provider lets a create already on its way come back after a Ctrl-C (one short
      // request), so it is recorded rather than left a task that may be paid, unknown.
      ({ taskId, status: finished } = await ctx.provider.createTask(request, {
        signal: ctx.signal,
        ...(named && { recordTask }),
      }));
    } catch (error) {
      if (isPixlockError(error, 'PROVIDER_CREATE_UNCONFIRMED')) {
        // It may have been taken and charged (so it stays counted against the budget): it
        // is recorded without a task id, and later runs hold the image instead of paying
        // for it again. Should this write fail, the journal line stays and does the same.
        // A task recorded under its own name stays so: the next run polls that name.
        permit.release();
        ctx.budget.ended(price);
        if (recorded === undefined) await ctx.lock.setPending(request.id, record);
        if (journaled) ctx.journal.settled(request.id);
        throw error;
      }
      // Any other failure is a clear "not taken": nothing is owed, and no name stays pending.
      ctx.budget.cancel(price);
      if (journaled) ctx.journal.settled(request.id);
      if (recorded !== undefined) await ctx.lock.clearPending(request.id);
      if (isPixlockError(error, 'PROVIDER_RATE_LIMITED')) {
        const oursRunning = permit.rateLimited();
        // With tasks of ours running, the next slot opens when one of them ends: acquire
        // waits for exactly that. With none, the account is busy elsewhere: wait as told.
        const wait = oursRunning
          ? 0
          : (error.extra.retryAfterMs ?? backoff(attempt, 250, 5000, ctx.random));
        ctx.emit({
          type: 'rate-limited',
          id: imageIdOf(request.id),
          retryInMs: wait,
          target: ctx.providerLimit.target,
        });
        if (wait > 0) {
          try {
            await ctx.clock.sleep(wait, ctx.signal);
          } catch {
            return { outcome: 'interrupted' };
          }
        }
        continue;
      }
      permit.release();
      if (isPixlockError(error, 'PROVIDER_AUTH', 'PROVIDER_CREDITS')) ctx.stop ??= error;
      // A task name that no disk took (recordTask): not sent, and no create after it either.
      const disk = asDiskError(error);
      if (disk) ctx.stop ??= disk;
      throw disk ?? error;
    }
    permit.accepted();
    const acceptedAt = ctx.clock.now().getTime();
    const task = budgeted(ctx, permit, price);
    if (finished !== undefined) {
      // A synchronous call came back with its result: nothing to resume, so no task id goes
      // in `pending`. Its journal line stays until the image is recorded: a run that dies
      // before then leaves it, and the next run holds the image rather than pay again.
      ctx.emit({ type: 'task-created', id: imageIdOf(request.id), taskId });
      const settle = () => {
        if (journaled) ctx.journal.settled(request.id);
      };
      return { taskId, permit: task, acceptedAt, finished, settle: once(settle) };
    }
    // Paid for from here on: on disk before the first poll, so a run that dies finds it again
    // rather than pay twice. Only then is the journal line settled (a failed write leaves it).
    // A task recorded under its name before sending is on disk already, unless the create
    // answered a better name for it (the server's).
    try {
      if (recorded !== taskId) await ctx.lock.setPending(request.id, { taskId, ...record });
      if (journaled) ctx.journal.settled(request.id);
    } catch (error) {
      const disk = asDiskError(error);
      if (!disk) {
        task.release();
        throw error;
      }
      unrecorded(ctx, request.id, taskId, disk);
    }
    // Events name the image; a candidate's request id is its task key (task-key.ts).
    ctx.emit({ type: 'task-created', id: imageIdOf(request.id), taskId });
    return { taskId, permit: task, acceptedAt, settle: () => {} };
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

/**
 * A paid task whose id no disk took, even with the reserve given back (a disk failing, or
 * full beyond it): no new task is created, the id is said now on stderr in the form the next
 * run takes (its create stays noted in the journal, so it is not created again meanwhile), and
 * the task is still polled: its image may yet be recorded whole, and the lock written at the
 * end holds its id if the disk takes it by then.
 */
function unrecorded(ctx: RunContext, key: string, taskId: string, disk: PixlockError): void {
  ctx.stop ??= disk;
  ctx.unrecorded.set(key, taskId);
  ctx.logger.warn(
    `${key}: task ${taskId} is paid for and its id could not be recorded (${disk.message}). ` +
      `Keep .pixlock/journal.jsonl, and resume it rather than pay again: pixlock generate --resume ${resumeToken(key, taskId)}`,
  );
}

/** The task's permit, whose release also tells the budget this create is over (once). */
function budgeted(ctx: RunContext, permit: Permit, price: number): Permit {
  let ended = false;
  return {
    accepted: () => permit.accepted(),
    rateLimited: () => permit.rateLimited(),
    release: () => {
      permit.release();
      if (ended) return;
      ended = true;
      ctx.budget.ended(price);
    },
  };
}

function refuse(ctx: RunContext, price: number): NotCreated | undefined {
  if (ctx.signal.aborted) return { outcome: 'interrupted' };
  // The disk under the journal filled up, even if a line got through on the reserve.
  if (ctx.journal.fault) ctx.stop ??= ctx.journal.fault;
  if (ctx.stop) {
    return {
      outcome: 'skipped',
      skipReason: 'stopped',
      error: { code: ctx.stop.code, message: ctx.stop.message },
    };
  }
  if (!ctx.budget.reserve(price)) return { outcome: 'skipped', skipReason: 'budget' };
  return undefined;
}
