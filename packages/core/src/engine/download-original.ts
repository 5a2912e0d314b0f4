import { errorMessage, PixlockError } from '../errors.js';
import type { TaskOutput } from '../providers/image-provider.js';
import { backoff } from './backoff.js';
import { startDeadline } from './deadline.js';
import type { DecodedImage } from './ports.js';
import type { RunContext } from './run-context.js';
import { verifyDownload } from './verify-download.js';
import { plural } from '../util/plural.js';

/** A verified download, still in its temporary file. */
export interface DownloadedOriginal {
  tempPath: string;
  bytes: Buffer;
  decoded: DecodedImage;
}

/**
 * Downloads a finished task's image and decodes it completely. A failed, cut-off, hung or
 * invalid download is tried again with capped backoff until the provider's `timeoutMs`
 * (counted from the first attempt; its timer also cuts off a download that hangs); then the
 * task stays recorded and the next run downloads it again.
 */
export async function downloadOriginal(
  ctx: RunContext,
  id: string,
  output: TaskOutput,
): Promise<DownloadedOriginal> {
  const { timeoutMs } = ctx.provider;
  const deadline = startDeadline(ctx.clock, timeoutMs, ctx.signal);
  let lastFault = '';
  try {
    for (let attempt = 1; ; attempt++) {
      const tempPath = ctx.store.tempPath('.download');
      try {
        await ctx.provider.download(output, tempPath, { signal: deadline.signal });
        const bytes = await ctx.store.readTemp(tempPath);
        const decoded = await verifyDownload(ctx.codec, bytes);
        return { tempPath, bytes, decoded };
      } catch (error) {
        await ctx.store.removeTemp(tempPath);
        if (ctx.signal.aborted) throw error;
        if (!deadline.expired) {
          lastFault = errorMessage(error);
          ctx.emit({ type: 'retry', id, what: 'download', attempt, message: lastFault });
          await ctx.clock
            .sleep(backoff(attempt - 1, 200, 5000, ctx.random), deadline.signal)
            .catch(() => {});
        }
      }
      if (ctx.signal.aborted) throw ctx.signal.reason;
      if (deadline.expired) {
        throw new PixlockError(
          'PROVIDER_TIMEOUT',
          `download did not complete within ${Math.round(timeoutMs / 1000)} s (${plural(attempt, 'attempt')}; last: ${lastFault || 'hung'}); the task stays recorded and the next run downloads it again`,
        );
      }
    }
  } finally {
    deadline.cancel();
  }
}
