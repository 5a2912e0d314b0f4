import { PixlockError } from '../errors.js';
import type { FinalStatus, TaskOutput } from '../providers/image-provider.js';

/** A task's image and what the provider charged for it, in its unit. */
export interface TaskResult {
  output: TaskOutput;
  credits: number;
}

/**
 * What an ended task gave, polled or returned by a synchronous call alike.
 * @throws PixlockError PROVIDER_TASK_FAILED when it failed, with the provider's reason.
 */
export function taskResult(taskId: string, status: FinalStatus): TaskResult {
  if (status.state === 'success') return { output: status.output, credits: status.creditsUsed };
  throw new PixlockError('PROVIDER_TASK_FAILED', `task ${taskId} failed: ${status.message}`, {
    details: { taskId, ...(status.code !== undefined && { providerCode: status.code }) },
  });
}
