import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { errorContext, objectKey, type StoreContext } from './store-context.js';
import { withDeadline } from './with-deadline.js';
import { withRetries } from './with-retries.js';

/** Largest small object read (a shard lock of a very large share, a claim). */
const SMALL_MAX_BYTES = 64 * 1024 * 1024;

/**
 * The text of the small object at `path` (below the prefix), or undefined when there is none.
 * For the records shards leave in the store (their locks, their claims), which are named, not
 * content-addressed: read whole into memory, retried as every request is.
 */
export function readSmall(
  ctx: StoreContext,
  path: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  return withRetries(
    () =>
      withDeadline(ctx.requestTimeoutMs, signal, async (s) => {
        const whole = await getWhole(ctx, objectKey(ctx, path), SMALL_MAX_BYTES, s);
        if (whole === 'too-large') {
          throw Object.assign(new Error(`larger than ${SMALL_MAX_BYTES} bytes`), {
            name: 'InvalidRequest',
            $metadata: { httpStatusCode: 400 },
          });
        }
        return whole?.toString('utf8');
      }),
    errorContext(ctx, 'GET', path),
    { ...ctx.retry, ...(signal && { signal }) },
    0,
  );
}

/**
 * One GET of the object at `key`, read whole into memory: undefined when there is none (a
 * missing bucket is an error, not an absent object), `too-large` past `maxBytes` (the rest is
 * not read). No retries: the caller's.
 */
export async function getWhole(
  ctx: StoreContext,
  key: string,
  maxBytes: number,
  signal: AbortSignal,
): Promise<Buffer | undefined | 'too-large'> {
  let answer;
  try {
    answer = await ctx.calls.get(key, signal);
  } catch (error) {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (e.$metadata?.httpStatusCode === 404 && e.name !== 'NoSuchBucket') return undefined;
    throw error;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of answer.body) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      answer.body.destroy();
      return 'too-large';
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Writes `text` as the object at `path`. With `ifAbsent`, sent with `If-None-Match: *`:
 * `exists` when the store already held one (a store that ignores the header, as some
 * S3-compatible ones and s3rver do, writes over it and says `created`).
 */
export function writeSmall(
  ctx: StoreContext,
  path: string,
  text: string,
  options: { ifAbsent?: boolean; signal?: AbortSignal } = {},
): Promise<'created' | 'exists'> {
  const body = Buffer.from(text, 'utf8');
  const md5 = createHash('md5').update(body).digest('base64');
  const { signal } = options;
  return withRetries(
    async () => {
      const conditional = options.ifAbsent === true && ctx.conditionalPuts;
      try {
        return await withDeadline(ctx.requestTimeoutMs, signal, (s) =>
          ctx.calls.put(
            {
              key: objectKey(ctx, path),
              body: Readable.from([body]),
              size: body.length,
              md5,
              contentType: 'text/plain; charset=utf-8',
              ifNoneMatch: conditional,
            },
            s,
          ),
        );
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata
          ?.httpStatusCode;
        // A store that refuses the header (501) gets plain puts from then on, as put-file.ts.
        if (conditional && status === 501) {
          ctx.conditionalPuts = false;
          throw Object.assign(new Error('conditional write unsupported'), {
            name: 'ConditionalWriteUnsupported',
          });
        }
        throw error;
      }
    },
    errorContext(ctx, 'PUT', path),
    { ...ctx.retry, ...(signal && { signal }) },
    0,
  );
}

/** Every object path below `folder` (itself below the prefix, ending in `/`), in key order. */
export async function listUnder(
  ctx: StoreContext,
  folder: string,
  signal?: AbortSignal,
): Promise<string[]> {
  const paths: string[] = [];
  let startAfter = objectKey(ctx, folder);
  for (;;) {
    const after = startAfter;
    const page = await withRetries(
      () =>
        withDeadline(ctx.requestTimeoutMs, signal, (s) =>
          ctx.calls.list(objectKey(ctx, folder), after, s),
        ),
      errorContext(ctx, 'LIST', folder),
      { ...ctx.retry, ...(signal && { signal }) },
      0,
    );
    for (const key of page.keys) paths.push(key.slice(ctx.settings.prefix.length));
    if (!page.truncated || page.keys.length === 0) return paths;
    startAfter = page.keys.at(-1)!;
  }
}
