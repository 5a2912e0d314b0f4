import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { PixlockError } from '../errors.js';
import { mediaTypeInfo } from '../media-types.js';
import { headOne } from './has-many.js';
import { storeKeyPath, type StoreKey } from './store-key.js';
import { errorContext, objectKey, transferTimeoutMs, type StoreContext } from './store-context.js';
import { withDeadline } from './with-deadline.js';
import { LocalFailure, withRetries } from './with-retries.js';

/** Options of {@link putFile}. */
export interface PutFileOptions {
  /**
   * The caller just learned from `hasMany` that the object is absent: skip the HEAD. The
   * upload is still conditional where the store supports it, so a racing writer is not
   * overwritten.
   */
  knownAbsent?: boolean;
  /**
   * The object there was read and its bytes are not its sha256 (bit rot, a bad writer): it
   * is written over with these, which are checked to be (no HEAD, no `If-None-Match`). Safe
   * for a content-addressed key: whoever else writes it writes the same bytes.
   */
  replace?: boolean;
  signal?: AbortSignal;
}

/**
 * Uploads `srcPath` as the object `key` names, once: skipped when the store already holds it
 * (a HEAD first, and `If-None-Match: *` on the PUT so a concurrent writer's object is never
 * written over; a store that answers 501 to that header gets plain PUTs from then on). The
 * file is hashed first, streaming: a file that does not match its key's sha256 is refused
 * with STORE_CORRUPT and nothing is sent. The body then streams from disk with its
 * Content-MD5, so the store refuses bytes that changed on the way.
 * @returns `uploaded: false` when the object was already there.
 */
export function putFile(
  ctx: StoreContext,
  key: StoreKey,
  srcPath: string,
  options: PutFileOptions = {},
): Promise<{ uploaded: boolean }> {
  const path = storeKeyPath(key);
  const { signal } = options;
  const retry = { ...ctx.retry, ...(signal && { signal }) };
  return ctx.limit(async () => {
    const local = await hashFile(srcPath);
    if (local.sha256 !== key.sha256) {
      throw new PixlockError(
        'STORE_CORRUPT',
        `${srcPath} hashes to ${local.sha256}, not the sha256 it is to be stored under ` +
          `(${key.sha256}); not uploaded to ${ctx.settings.url}/${path}`,
        { details: { object: path, store: ctx.settings.url, actual: local.sha256 } },
      );
    }
    if (!options.knownAbsent && !options.replace && (await headOne(ctx, path, signal)))
      return { uploaded: false };
    const contentType = mediaTypeInfo(key.mediaType)!.mediaType;
    return withRetries(
      async () => {
        const conditional = ctx.conditionalPuts && !options.replace;
        const body = createReadStream(srcPath);
        let localError: unknown;
        body.on('error', (error: NodeJS.ErrnoException) => {
          if (error.syscall !== undefined) localError = error;
        });
        try {
          const outcome = await withDeadline(transferTimeoutMs(ctx, local.size), signal, (s) =>
            ctx.calls.put(
              {
                key: objectKey(ctx, path),
                body,
                size: local.size,
                md5: local.md5,
                contentType,
                ifNoneMatch: conditional,
              },
              s,
            ),
          );
          return { uploaded: outcome === 'created' };
        } catch (error) {
          if (localError !== undefined) throw new LocalFailure(localError);
          const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata
            ?.httpStatusCode;
          if (conditional && status === 501) {
            ctx.conditionalPuts = false;
            ctx.retry.logger.debug?.(
              `${ctx.settings.url} does not support conditional writes; uploading without`,
            );
            throw Object.assign(new Error('conditional write unsupported'), {
              name: 'ConditionalWriteUnsupported',
            });
          }
          throw error;
        } finally {
          body.destroy();
        }
      },
      errorContext(ctx, 'PUT', path),
      retry,
      0,
    );
  });
}

/** sha256, base64 MD5 and size of a file, read once as a stream. */
async function hashFile(path: string): Promise<{ sha256: string; md5: string; size: number }> {
  const sha = createHash('sha256');
  const md5 = createHash('md5');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    sha.update(chunk as Buffer);
    md5.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: sha.digest('hex'), md5: md5.digest('base64'), size };
}
