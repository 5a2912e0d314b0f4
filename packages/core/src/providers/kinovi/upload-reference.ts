import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PixlockError } from '../../errors.js';
import { callKinovi, type HttpSettings, type KinoviDeps } from './kinovi-http.js';

const CONTENT_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
};

/**
 * Uploads a local reference image: the API only takes public URLs, so a file is registered
 * (`POST /uploads` → `{uploadUrl, url}`), its bytes PUT to `uploadUrl` (a storage URL: no key
 * is sent there), and the public `url` (kept 24 h) is what the task references.
 */
export async function uploadReference(
  file: string,
  imageId: string,
  ctx: { base: string; settings: HttpSettings; deps: KinoviDeps; signal: AbortSignal },
): Promise<string> {
  const contentType = CONTENT_TYPES[path.extname(file).toLowerCase()];
  if (!contentType) {
    throw new PixlockError(
      'PROVIDER_BAD_REQUEST',
      `${imageId}: reference ${file} is not a PNG, JPEG, WebP or GIF file`,
    );
  }
  const bytes = await readFile(file).catch((error: unknown) => {
    throw new PixlockError('PROVIDER_BAD_REQUEST', `${imageId}: cannot read reference ${file}`, {
      cause: error,
    });
  });
  const slot = await callKinovi(
    {
      imageId,
      endpoint: 'uploads',
      method: 'POST',
      url: `${ctx.base}/uploads`,
      body: { fileName: path.basename(file), contentType },
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
  const put = await ctx.deps.fetch(uploadUrl, {
    method: 'PUT',
    headers: { 'content-type': contentType },
    body: bytes,
    signal: ctx.signal,
  });
  await put.arrayBuffer().catch(() => undefined);
  if (!put.ok) {
    throw new PixlockError(
      'PROVIDER_UNAVAILABLE',
      `${imageId}: uploading reference ${path.basename(file)} failed with HTTP ${put.status}`,
    );
  }
  return url;
}
