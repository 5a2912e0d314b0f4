import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { sniffMediaType } from '../../media-types.js';
import { errorMessage, PixlockError } from '../../errors.js';
import { startDeadline } from '../../util/deadline.js';
import type { HttpDeps } from '../../http/http-deps.js';
import { describeNetworkError } from '../../http/network-error.js';
import { withRetries, type RetryPolicy } from '../../http/with-retries.js';
import { GEMINI_REFERENCE_TYPES, type ReferenceBytes } from './gemini-request.js';

/** Options of {@link urlReferences}. */
export interface UrlReferenceOptions {
  deps: HttpDeps;
  retry: RetryPolicy;
  /** Larger references are refused (the API takes 100 MB per request in all). */
  maxBytes: number;
  /** One fetch, headers to last byte. */
  timeoutMs: number;
}

/**
 * Fetches URL references for inline sending, each once per client (a run): every image of
 * the run that names a URL sends the same bytes. A fetch is bounded (size, time on the
 * injected clock), carries no key, follows redirects only to http(s), and must give a PNG,
 * JPEG, WebP or HEIF image by its bytes. 5xx and network faults are retried; a failure is not
 * kept, so a later image tries again.
 */
export function urlReferences(
  options: UrlReferenceOptions,
): (url: string, imageId: string, signal: AbortSignal) => Promise<ReferenceBytes> {
  const fetched = new Map<string, Promise<ReferenceBytes>>();
  return (url, imageId, signal) => {
    let pending = fetched.get(url);
    if (!pending) {
      pending = withRetries(
        () =>
          fetchOnce(url, imageId, options, signal).then(
            (value) => ({ value }),
            (error: unknown) => {
              signal.throwIfAborted();
              const e =
                error instanceof PixlockError
                  ? error
                  : new PixlockError('PROVIDER_UNAVAILABLE', `${imageId}: ${errorMessage(error)}`);
              return { error: e, retry: e.code === 'PROVIDER_UNAVAILABLE' };
            },
          ),
        options.retry,
        options.deps,
        signal,
      );
      pending.catch(() => fetched.delete(url));
      fetched.set(url, pending);
    }
    return pending;
  };
}

async function fetchOnce(
  url: string,
  imageId: string,
  options: UrlReferenceOptions,
  signal: AbortSignal,
): Promise<ReferenceBytes> {
  const bad = (why: string) =>
    new PixlockError('PROVIDER_BAD_REQUEST', `${imageId}: reference ${url} ${why}`);
  if (!/^https?:\/\//i.test(url)) throw bad('is not an http(s) URL');
  const deadline = startDeadline(options.deps.clock, options.timeoutMs, signal);
  try {
    let res: Response;
    try {
      res = await options.deps.fetch(url, {
        headers: { accept: 'image/*' },
        signal: deadline.signal,
      });
    } catch (error) {
      signal.throwIfAborted();
      throw new PixlockError(
        'PROVIDER_UNAVAILABLE',
        `${imageId}: cannot fetch reference ${url}: ${describeNetworkError(error, deadline.expired ? options.timeoutMs : undefined)}`,
      );
    }
    if (!/^https?:\/\//i.test(res.url || url)) throw bad('redirected outside http(s)');
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => {});
      const code =
        res.status >= 500 || res.status === 429 ? 'PROVIDER_UNAVAILABLE' : 'PROVIDER_BAD_REQUEST';
      throw new PixlockError(code, `${imageId}: reference ${url} answered ${res.status}`);
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > options.maxBytes) {
      await res.body?.cancel().catch(() => {});
      throw bad(`is ${declared} bytes, over the ${options.maxBytes} byte limit`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      const body = Readable.fromWeb(res.body as NodeReadableStream<Uint8Array>, {
        signal: deadline.signal,
      });
      for await (const chunk of body) {
        size += (chunk as Buffer).length;
        if (size > options.maxBytes) {
          body.destroy();
          throw bad(`exceeded the ${options.maxBytes} byte limit`);
        }
        chunks.push(chunk as Buffer);
      }
    } catch (error) {
      signal.throwIfAborted();
      if (error instanceof PixlockError) throw error;
      throw new PixlockError(
        'PROVIDER_UNAVAILABLE',
        `${imageId}: reference ${url} was cut off after ${size} bytes (${describeNetworkError(error)})`,
      );
    }
    const bytes = Buffer.concat(chunks);
    const mediaType = sniffMediaType(bytes);
    if (!mediaType) throw bad('is not an image: its bytes are no PNG, JPEG, WebP or HEIF');
    if (!GEMINI_REFERENCE_TYPES.has(mediaType)) {
      throw bad(`is ${mediaType}; the Gemini API takes PNG, JPEG, WebP, HEIC or HEIF`);
    }
    return { from: url, mediaType, bytes };
  } finally {
    deadline.cancel();
  }
}
