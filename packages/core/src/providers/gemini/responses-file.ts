import { PixlockError } from '../../errors.js';
import { startDeadline } from '../../util/deadline.js';
import { describeNetworkError } from '../../http/network-error.js';
import { scrub } from '../../http/server-text.js';
import type { GeminiClient } from './gemini-client.js';

/** One line holds one request's answer: a 4K image is ~30 MB of base64. */
export const MAX_LINE_BYTES = 128 * 1024 * 1024;
/** The Files API keeps files of up to 2 GB. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024;

/**
 * Streams a batch's responses file (`files/<id>`, JSONL) and hands each line to `onLine` as
 * it arrives, so a file of many images is never held whole. The key goes only to the
 * configured root; no redirect is followed; the download is bounded in time (injected clock),
 * in line length and in size. Any failure (network, 5xx, a cut-off file, an error page) is
 * PROVIDER_UNAVAILABLE: the caller reads the whole file again on a later poll. 403 and 404
 * are PROVIDER_TASK_LOST: the file is gone.
 */
export async function readResponsesFile(
  client: GeminiClient,
  file: string,
  imageId: string,
  signal: AbortSignal,
  onLine: (line: string) => void,
): Promise<void> {
  const url = client.url(`${file}:download?alt=media`);
  const deadline = startDeadline(client.deps.clock, client.transferTimeoutMs, signal);
  const fail = (why: string, cause?: unknown) =>
    new PixlockError(
      'PROVIDER_UNAVAILABLE',
      `${imageId}: the responses file ${file} ${scrub(why, client.http.apiKey)}`,
      { ...(cause !== undefined && { cause }) },
    );
  try {
    let res: Response;
    try {
      res = await client.deps.fetch(url, {
        headers: { 'x-goog-api-key': client.http.apiKey },
        redirect: 'manual',
        signal: deadline.signal,
      });
    } catch (error) {
      signal.throwIfAborted();
      throw fail(`could not be fetched (${describeNetworkError(error)})`);
    }
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => {});
      if (res.status === 403 || res.status === 404) {
        throw new PixlockError(
          'PROVIDER_TASK_LOST',
          `${imageId}: the responses file ${file} is gone (${res.status}); its images cannot be collected`,
        );
      }
      throw fail(`answered ${res.status}`);
    }
    if (/^text\/html/i.test(res.headers.get('content-type') ?? '')) {
      await res.body?.cancel().catch(() => {});
      throw fail('answered an HTML page');
    }
    if (!res.body) throw fail('answered no body');
    const reader = res.body.getReader();
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let total = 0;
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (error) {
        signal.throwIfAborted();
        throw fail(`was cut off after ${total} bytes (${describeNetworkError(error)})`);
      }
      if (chunk.done) break;
      let bytes = Buffer.from(chunk.value);
      total += bytes.length;
      if (total > MAX_FILE_BYTES) {
        await reader.cancel().catch(() => {});
        throw fail(`is over ${MAX_FILE_BYTES} bytes`);
      }
      for (let nl = bytes.indexOf(10); nl >= 0; nl = bytes.indexOf(10)) {
        pending.push(bytes.subarray(0, nl));
        onLine(Buffer.concat(pending).toString('utf8'));
        pending = [];
        pendingBytes = 0;
        bytes = bytes.subarray(nl + 1);
      }
      pending.push(bytes);
      pendingBytes += bytes.length;
      if (pendingBytes > MAX_LINE_BYTES) {
        await reader.cancel().catch(() => {});
        throw fail(`has a line over ${MAX_LINE_BYTES} bytes`);
      }
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared !== total) {
      throw fail(`is truncated: ${total} of ${declared} bytes`);
    }
    if (pendingBytes > 0) onLine(Buffer.concat(pending).toString('utf8'));
  } finally {
    deadline.cancel();
  }
}
