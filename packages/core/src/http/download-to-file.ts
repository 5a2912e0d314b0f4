import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { isDiskFault } from '../disk/disk-error.js';
import { isPixlockError, PixlockError } from '../errors.js';
import type { Clock } from '../util/clock.js';
import { startDeadline, type Deadline } from '../util/deadline.js';
import { describeNetworkError } from './network-error.js';

/** Options of {@link downloadToFile}. */
export interface DownloadOptions {
  fetch: typeof fetch;
  /** Times {@link DownloadOptions.timeoutMs}. */
  clock: Clock;
  signal: AbortSignal;
  /** Larger answers are rejected (declared or counted). */
  maxBytes: number;
  /** The whole download, headers to last byte. */
  timeoutMs: number;
}

// Answers that are error pages, never image bytes.
const NOT_AN_IMAGE = new Set(['text/html', 'application/xhtml+xml', 'application/json']);

/**
 * Streams `url` into `destination` and resolves with the declared content type (lowercase,
 * without parameters). No Authorization header is sent: output URLs are public CDN links, and
 * the key must not travel to another host. A non-200 answer, an error page, an answer over
 * `maxBytes` or one shorter than its Content-Length is DOWNLOAD_INVALID (5xx and network
 * failures are PROVIDER_UNAVAILABLE); the engine retries both. On any failure the partial file
 * is removed; an abort rejects with the signal's reason.
 */
export async function downloadToFile(
  url: string,
  destination: string,
  options: DownloadOptions,
): Promise<{ contentType?: string }> {
  // An explicit timer over headers and body (see deadline.ts for why not AbortSignal.timeout).
  const deadline = startDeadline(options.clock, options.timeoutMs, options.signal);
  try {
    return await fetchToFile(url, destination, options, deadline);
  } catch (error) {
    await rm(destination, { force: true });
    options.signal.throwIfAborted();
    if (deadline.expired) {
      throw new PixlockError(
        'PROVIDER_UNAVAILABLE',
        `download of ${url} did not finish within ${options.timeoutMs} ms`,
        { cause: error, details: { timeoutMs: options.timeoutMs } },
      );
    }
    throw error;
  } finally {
    deadline.cancel();
  }
}

async function fetchToFile(
  url: string,
  destination: string,
  options: DownloadOptions,
  deadline: Deadline,
): Promise<{ contentType?: string }> {
  const invalid = (why: string, cause?: unknown) =>
    new PixlockError('DOWNLOAD_INVALID', `download of ${url} ${why}`, {
      ...(cause !== undefined && { cause }),
    });
  if (!/^https?:\/\//i.test(url)) throw invalid('refused: not an http(s) URL');
  const { signal } = deadline;
  let res: Response;
  try {
    // Redirects are followed (CDNs use them); no key is ever sent on a download.
    res = await options.fetch(url, { headers: { accept: 'image/*' }, signal });
  } catch (error) {
    options.signal.throwIfAborted();
    throw new PixlockError(
      'PROVIDER_UNAVAILABLE',
      `cannot download ${url}: ${describeNetworkError(error)}`,
      {
        cause: error,
      },
    );
  }
  if (res.status !== 200) {
    await res.body?.cancel().catch(() => {});
    const why = res.status === 404 || res.status === 410 ? 'not found' : res.statusText;
    const message = `download of ${url} answered ${res.status} (${why || 'not 200'})`;
    const code =
      res.status >= 500 || res.status === 429 ? 'PROVIDER_UNAVAILABLE' : 'DOWNLOAD_INVALID';
    throw new PixlockError(code, message, { details: { status: res.status } });
  }
  const contentType = res.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (contentType && NOT_AN_IMAGE.has(contentType)) {
    await res.body?.cancel().catch(() => {});
    throw invalid(`returned ${contentType} (an error page) instead of an image`);
  }
  const declared = declaredLength(res.headers);
  if (declared !== undefined && declared > options.maxBytes) {
    await res.body?.cancel().catch(() => {});
    throw invalid(`is ${declared} bytes, over the ${options.maxBytes} byte limit`);
  }
  if (!res.body) throw invalid('returned no body');

  let received = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      if (received > options.maxBytes) {
        callback(invalid(`exceeded the ${options.maxBytes} byte limit`));
      } else {
        callback(null, chunk);
      }
    },
  });
  try {
    const body = Readable.fromWeb(res.body as NodeReadableStream<Uint8Array>, { signal });
    // A fresh file (never through a link planted at its name).
    await pipeline(body, counter, createWriteStream(destination, { flags: 'wx' }));
  } catch (error) {
    options.signal.throwIfAborted();
    if (isPixlockError(error)) throw error;
    // The disk, not the network (a full disk mid-write): not a cut-off download to try again.
    if (isDiskFault(error)) throw error;
    const of = declared === undefined ? '' : ` of ${declared}`;
    throw invalid(
      `was cut off after ${received}${of} bytes (${describeNetworkError(error)})`,
      error,
    );
  }
  if (declared !== undefined && received !== declared) {
    throw invalid(`is truncated: ${received} of ${declared} bytes`);
  }
  if (received === 0) throw invalid('returned an empty body');
  return contentType ? { contentType } : {};
}

/** Content-Length, when it describes the bytes we read (not a compressed transfer). */
function declaredLength(headers: Headers): number | undefined {
  const encoding = headers.get('content-encoding');
  if (encoding && encoding.toLowerCase() !== 'identity') return undefined;
  const value = headers.get('content-length');
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}
