import { asDiskError } from '../disk/disk-error.js';
import { errorMessage, PixlockError } from '../errors.js';
import type { TaskOutput } from '../providers/image-provider.js';
import { backoff } from '../util/backoff.js';
import { startDeadline } from '../util/deadline.js';
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
 * Puts a finished task's image in a temporary file and decodes it completely, the same way
 * whether it came as bytes or as a URL. A result that came as bytes is written and checked
 * once: what is wrong with it stays wrong. A download that fails, is cut off, hangs or is
 * invalid is tried again with capped backoff until the provider's `timeoutMs` (counted from
 * the first attempt; its timer also cuts off a download that hangs); then the task stays
 * recorded and the next run downloads it again. A full or failing disk is not tried again
 * (DISK_FULL, DISK_ERROR): the task stays recorded just the same.
 */
export async function downloadOriginal(
  ctx: RunContext,
  id: string,
  output: TaskOutput,
): Promise<DownloadedOriginal> {
  if ('bytes' in output) return keepBytes(ctx, output.bytes);
  const { timeoutMs } = ctx.provider;
  const deadline = startDeadline(ctx.clock, timeoutMs, ctx.signal);
  let lastFault = '';
  try {
    for (let attempt = 1; ; attempt++) {
      const tempPath = ctx.temps.tempPath('.download');
      try {
        await ctx.provider.download(output, tempPath, { signal: deadline.signal });
        const bytes = await ctx.temps.readTemp(tempPath);
        const decoded = await verifyDownload(ctx.codec, bytes);
        return { tempPath, bytes, decoded };
      } catch (error) {
        await ctx.temps.removeTemp(tempPath);
        if (ctx.signal.aborted) throw error;
        // A full or failing disk is no fault of the network: trying again only fills the run
        // with retries until the timeout (hours, image after image). The task stays recorded.
        const disk = asDiskError(error, tempPath, 'downloading to');
        if (disk) throw disk;
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

async function keepBytes(ctx: RunContext, data: Buffer): Promise<DownloadedOriginal> {
  const tempPath = ctx.temps.tempPath('.download');
  try {
    await ctx.temps.writeTemp(tempPath, data);
    const bytes = await ctx.temps.readTemp(tempPath);
    return { tempPath, bytes, decoded: await verifyDownload(ctx.codec, bytes) };
  } catch (error) {
    await ctx.temps.removeTemp(tempPath);
    throw asDiskError(error, tempPath, 'writing the result to') ?? error;
  }
}
