import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PixlockError } from '../errors.js';
import { systemClock } from '../util/clock.js';
import { startDeadline } from '../util/deadline.js';
import { storeKeyPath, type StoreKey } from './store-key.js';
import { errorContext, objectKey, transferTimeoutMs, type StoreContext } from './store-context.js';
import { StoreTimeoutError } from './with-deadline.js';
import { LocalFailure, withRetries } from './with-retries.js';

/**
 * Downloads the object `key` names to `destPath`, streaming: the body goes through a sha256
 * into a temporary file beside `destPath` (memory stays at a few stream buffers whatever the
 * size), which is fsynced and renamed into place only when the hash is the key's. Bytes that
 * hash otherwise are refused with STORE_CORRUPT after a second try (a body damaged in transit
 * reads right the next time, a damaged object never does); on every failure nothing is left at
 * `destPath` or beside it. The folder of `destPath` must exist.
 * @returns the number of bytes written.
 */
export function getToFile(
  ctx: StoreContext,
  key: StoreKey,
  destPath: string,
  signal?: AbortSignal,
): Promise<{ bytes: number }> {
  const path = storeKeyPath(key);
  return ctx.limit(() =>
    withRetries(
      () => getOnce(ctx, key.sha256, path, destPath, signal),
      errorContext(ctx, 'GET', path),
      { ...ctx.retry, ...(signal && { signal }) },
      1,
    ),
  );
}

async function getOnce(
  ctx: StoreContext,
  sha256: string,
  path: string,
  destPath: string,
  signal?: AbortSignal,
): Promise<{ bytes: number }> {
  const temp = `${destPath}.${randomBytes(6).toString('hex')}.part`;
  let deadline = startDeadline(systemClock, ctx.requestTimeoutMs, signal);
  let localError: unknown;
  try {
    const { body, size } = await ctx.calls.get(objectKey(ctx, path), deadline.signal);
    if (size !== undefined && size > ctx.maxObjectBytes) {
      body.destroy();
      throw tooLarge(ctx, path, size);
    }
    // The answer has begun: from here the whole body gets time in proportion to its size.
    deadline.cancel();
    deadline = startDeadline(
      systemClock,
      transferTimeoutMs(ctx, size ?? ctx.maxObjectBytes),
      signal,
    );
    const hash = createHash('sha256');
    let received = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        if (received > ctx.maxObjectBytes) return callback(tooLarge(ctx, path, received));
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    // 'wx': a fresh file, never through a symlink or over someone else's; flushed to disk
    // before it is closed, so a crash after the rename cannot leave an empty file there.
    const file = createWriteStream(temp, { flags: 'wx', flush: true });
    // A disk failure (it names a syscall), not the abort a stalled body ends with.
    file.on('error', (error: NodeJS.ErrnoException) => {
      if (error.syscall !== undefined) localError = error;
    });
    await pipeline(body, meter, file, { signal: deadline.signal });
    if (size !== undefined && received !== size) {
      throw Object.assign(new Error('body cut short'), { name: 'BodyCutShort' });
    }
    const digest = hash.digest('hex');
    if (digest !== sha256) {
      throw new PixlockError(
        'STORE_CORRUPT',
        `GET ${ctx.settings.url}/${path}: the ${received} bytes read hash to ${digest}, not ` +
          `the sha256 they are stored under; refused, nothing kept`,
        { details: { object: path, store: ctx.settings.url, actual: digest } },
      );
    }
    await rename(temp, destPath).catch((error: unknown) => {
      localError = error;
      throw error;
    });
    return { bytes: received };
  } catch (error) {
    await rm(temp, { force: true });
    if (localError !== undefined) throw new LocalFailure(localError);
    if (deadline.expired) throw new StoreTimeoutError('transfer timed out');
    throw error;
  } finally {
    deadline.cancel();
  }
}

function tooLarge(ctx: StoreContext, path: string, bytes: number): PixlockError {
  return new PixlockError(
    'STORE_REFUSED',
    `GET ${ctx.settings.url}/${path}: ${bytes} bytes is over the ${ctx.maxObjectBytes} byte ` +
      'limit for one object; refused, nothing kept',
    { details: { object: path, store: ctx.settings.url, bytes } },
  );
}
