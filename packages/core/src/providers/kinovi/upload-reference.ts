import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { extensionForMediaType, mediaTypeForExtension, sniffMediaType } from '../../media-types.js';
import { PixlockError } from '../../errors.js';
import { loadSharp } from '../../util/load-sharp.js';
import { startDeadline } from '../../util/deadline.js';
import type { HttpDeps } from '../../http/http-deps.js';
import { describeNetworkError } from '../../http/network-error.js';
import { scrub } from '../../http/server-text.js';
import { callKinovi, type HttpSettings } from './kinovi-http.js';

/** What {@link uploadReference} needs besides the file. */
export interface UploadContext {
  base: string;
  settings: HttpSettings;
  deps: HttpDeps;
  signal: AbortSignal;
  /** The PUT of the bytes, headers and body. */
  uploadTimeoutMs: number;
}

/**
 * Uploads a local reference image: the API only takes public URLs, so a file is registered
 * (`POST /uploads` → `{uploadUrl, url}`), its bytes PUT to `uploadUrl` (a storage URL: no key
 * is sent there), and the public `url` (kept 24 h) is what the task references.
 *
 * The bytes must decode as the image their extension says before anything is sent: planning
 * checks the path, this checks the content, so a text file renamed `.png` (or `/etc/passwd`
 * behind a link) never leaves the machine.
 */
export async function uploadReference(
  file: string,
  imageId: string,
  ctx: UploadContext,
): Promise<string> {
  const bad = (why: string, cause?: unknown) =>
    new PixlockError('PROVIDER_BAD_REQUEST', `${imageId}: reference ${file} ${why}`, {
      ...(cause !== undefined && { cause }),
    });
  const contentType = mediaTypeForExtension(path.extname(file));
  if (!contentType) throw bad('is not a PNG, JPEG, WebP, GIF, AVIF or HEIF file');
  const bytes = await readFile(file).catch((error: unknown) => {
    throw bad('cannot be read', error);
  });
  await checkDecodes(bytes, contentType, bad);
  return uploadBytes(bytes, path.basename(file), contentType, imageId, ctx);
}

/**
 * Uploads the kept original of another manifest image, as is: its bytes were checked against
 * the hash in the lock and decoded when it was made, so they are not decoded again here.
 */
export async function uploadOriginalBytes(
  bytes: Buffer,
  sha256: string,
  contentType: string,
  imageId: string,
  ctx: UploadContext,
): Promise<string> {
  const name = `${sha256.slice(0, 16)}.${extensionForMediaType(contentType)}`;
  return uploadBytes(bytes, name, contentType, imageId, ctx);
}

async function uploadBytes(
  bytes: Buffer,
  fileName: string,
  contentType: string,
  imageId: string,
  ctx: UploadContext,
): Promise<string> {
  const slot = await callKinovi(
    {
      imageId,
      endpoint: 'uploads',
      method: 'POST',
      url: `${ctx.base}/uploads`,
      body: { fileName, contentType },
      signal: ctx.signal,
    },
    ctx.settings,
    ctx.deps,
  );
  const { uploadUrl, url } = slot;
  if (typeof uploadUrl !== 'string' || typeof url !== 'string') {
    throw new PixlockError(
      'PROVIDER_UNAVAILABLE',
      `${imageId}: kinovi uploads answered without uploadUrl and url`,
    );
  }
  if (!/^https?:\/\//i.test(uploadUrl) || !/^https?:\/\//i.test(url)) {
    throw new PixlockError(
      'PROVIDER_PROTOCOL',
      `${imageId}: kinovi uploads answered URLs that are not http(s)`,
    );
  }
  await put(uploadUrl, bytes, contentType, imageId, ctx);
  return url;
}

/** Signature, then a full decode: the signature alone passes a PNG header glued to junk. */
async function checkDecodes(
  bytes: Buffer,
  contentType: string,
  bad: (why: string, cause?: unknown) => PixlockError,
): Promise<void> {
  const sniffed = sniffMediaType(bytes);
  if (sniffed !== contentType) {
    throw bad(
      sniffed
        ? `is named as ${contentType} but its bytes are ${sniffed}`
        : `is not an image: its bytes are not ${contentType}`,
    );
  }
  const sharp = await loadSharp();
  try {
    await sharp(bytes, { failOn: 'truncated', limitInputPixels: 8192 * 8192 })
      .resize(8, 8, { fit: 'inside' })
      .raw()
      .toBuffer();
  } catch (error) {
    throw bad(`does not decode as an image (${(error as Error).message})`, error);
  }
}

async function put(
  uploadUrl: string,
  bytes: Buffer,
  contentType: string,
  imageId: string,
  ctx: UploadContext,
): Promise<void> {
  const deadline = startDeadline(ctx.deps.clock, ctx.uploadTimeoutMs, ctx.signal);
  let status: number;
  try {
    const res = await ctx.deps.fetch(uploadUrl, {
      method: 'PUT',
      headers: { 'content-type': contentType },
      body: bytes,
      redirect: 'manual',
      signal: deadline.signal,
    });
    status = res.status;
    await res.arrayBuffer();
  } catch (error) {
    ctx.signal.throwIfAborted();
    const reason = scrub(describeNetworkError(error, ctx.uploadTimeoutMs), ctx.settings.apiKey);
    throw new PixlockError('PROVIDER_UNAVAILABLE', `${imageId}: uploading failed (${reason})`, {
      cause: error,
    });
  } finally {
    deadline.cancel();
  }
  if (status < 200 || status >= 300) {
    throw new PixlockError(
      'PROVIDER_UNAVAILABLE',
      `${imageId}: uploading a reference failed with HTTP ${status}`,
    );
  }
}
